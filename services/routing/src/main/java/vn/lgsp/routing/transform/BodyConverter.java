package vn.lgsp.routing.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import java.util.Locale;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;

/**
 * JSON ↔ XML for versions whose provider speaks the other format (catalog's {@code convert}). The mapping is
 * Jackson's: elements become fields, repeated elements arrays, attributes fields; JSON becomes one root element
 * ({@code <request>} or {@code <response>}). XML parsing refuses DTDs and external entities (XXE).
 */
public final class BodyConverter {

    public static final String JSON = "json";
    public static final String XML = "xml";

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final XmlMapper XML_MAPPER = secureXmlMapper();

    private BodyConverter() {
    }

    /** The body format a Content-Type or Accept value names: json, xml, or null for anything else. */
    public static String formatOf(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        String m = mediaType.toLowerCase(Locale.ROOT);
        int semi = m.indexOf(';');
        m = (semi >= 0 ? m.substring(0, semi) : m).strip();
        if (m.equals("application/json") || m.endsWith("+json")) {
            return JSON;
        }
        if (m.equals("application/xml") || m.equals("text/xml") || m.endsWith("+xml")) {
            return XML;
        }
        return null;
    }

    /** What an Accept header asks for when it names exactly one of the two formats; null otherwise. */
    public static String acceptedFormat(String accept) {
        if (accept == null) {
            return null;
        }
        boolean json = false;
        boolean xml = false;
        for (String part : accept.split(",")) {
            String f = formatOf(part);
            json |= JSON.equals(f);
            xml |= XML.equals(f);
        }
        return json == xml ? null : json ? JSON : XML;
    }

    public static String mediaType(String format) {
        return JSON.equals(format) ? "application/json" : "application/xml";
    }

    /** Converts between the two formats; throws {@link IllegalArgumentException} naming what is wrong. */
    public static byte[] convert(byte[] body, String from, String to, String rootElement) {
        if (from.equals(to)) {
            return body;
        }
        try {
            if (JSON.equals(from)) {
                JsonNode tree = JSON_MAPPER.readTree(body);
                if (tree == null || !tree.isObject()) {
                    throw new IllegalArgumentException("only a JSON object can become an XML document");
                }
                return XML_MAPPER.writer().withRootName(rootElement).writeValueAsBytes(tree);
            }
            JsonNode tree = XML_MAPPER.readTree(body);
            return JSON_MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not well-formed " + from.toUpperCase(Locale.ROOT)
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("the body could not be read as " + from.toUpperCase(Locale.ROOT));
        }
    }

    private static XmlMapper secureXmlMapper() {
        XMLInputFactory in = XMLInputFactory.newFactory();
        in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return new XmlMapper(new XmlFactory(in, XMLOutputFactory.newFactory()));
    }
}
