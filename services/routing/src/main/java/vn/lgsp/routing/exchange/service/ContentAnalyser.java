package vn.lgsp.routing.exchange.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import vn.lgsp.routing.transform.BodyConverter;

/**
 * Step 5 of X5: the platform analyses what the source uploaded before telling anyone — the content must be what the
 * envelope says (well-formed JSON or XML, rectangular UTF-8 CSV, an Office Open XML workbook) — and works out the
 * formats it can deliver it in (JSON ↔ XML through the gateway's own {@link BodyConverter}).
 */
public final class ContentAnalyser {

    /** Data types and their media types (REQUIREMENTS X6's file formats). */
    public static final Map<String, String> MEDIA_TYPES = Map.of(
            "json", "application/json",
            "xml", "application/xml",
            "csv", "text/csv",
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private static final JsonFactory JSON = new JsonFactory();
    private static final XMLInputFactory XML = secureXml();

    private ContentAnalyser() {
    }

    /** The data type a Content-Type names, or null. */
    public static String dataTypeOf(String contentType) {
        String f = BodyConverter.formatOf(contentType);
        if (f != null) {
            return f;
        }
        if (contentType == null) {
            return null;
        }
        String m = contentType.toLowerCase(Locale.ROOT);
        int semi = m.indexOf(';');
        m = (semi >= 0 ? m.substring(0, semi) : m).strip();
        for (Map.Entry<String, String> e : MEDIA_TYPES.entrySet()) {
            if (e.getValue().equals(m)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * Checks the content against its data type; answers the formats it can be delivered in, the uploaded one first.
     * Throws {@link IllegalArgumentException} saying what is wrong (and where, for text formats).
     */
    public static List<String> analyse(String dataType, byte[] content) {
        if (content.length == 0) {
            throw new IllegalArgumentException("the content is empty");
        }
        return switch (dataType) {
            case "json" -> json(content);
            case "xml" -> xml(content);
            case "csv" -> csv(content);
            case "xlsx" -> xlsx(content);
            default -> throw new IllegalArgumentException("unknown data type " + dataType);
        };
    }

    private static List<String> json(byte[] content) {
        try (JsonParser p = JSON.createParser(content)) {
            JsonToken first = p.nextToken();
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("the JSON content holds more than one value (line "
                        + p.currentLocation().getLineNr() + ")");
            }
            // Only an object has a natural XML document (its fields become elements), and only if every field name
            // is an XML name: the conversion is tried, and its result parsed, before it is offered.
            return first == JsonToken.START_OBJECT && converts(content, "json", "xml") ? List.of("json", "xml")
                    : List.of("json");
        } catch (IOException e) {
            throw new IllegalArgumentException("the content is not well-formed JSON" + where(e));
        }
    }

    private static List<String> xml(byte[] content) {
        try {
            xmlWellFormed(content);
        } catch (IllegalArgumentException e) {
            XMLStreamException x = (XMLStreamException) e.getCause();
            String at = x.getLocation() == null ? "" : " (line " + x.getLocation().getLineNumber() + ", column "
                    + x.getLocation().getColumnNumber() + ")";
            throw new IllegalArgumentException("the content is not well-formed XML without DTD" + at);
        }
        return converts(content, "xml", "json") ? List.of("xml", "json") : List.of("xml");
    }

    /** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; every record has the first one's width. */
    private static List<String> csv(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the CSV content is not UTF-8");
        }
        int width = -1;
        int fields = 1;
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean afterQuote = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else if (c == '\n') {
                    line++;
                }
                continue;
            }
            if (c == '"') {
                if (afterQuote || (i > 0 && text.charAt(i - 1) != ',' && text.charAt(i - 1) != '\n' && text.charAt(i - 1) != '\r')) {
                    throw new IllegalArgumentException("the CSV content has a quote inside an unquoted field (line " + line + ")");
                }
                quoted = true;
            } else if (c == ',') {
                fields++;
                afterQuote = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                boolean last = i + 1 >= n;
                if (width < 0) {
                    width = fields;
                } else if (fields != width) {
                    throw new IllegalArgumentException("the CSV record on line " + recordLine + " has " + fields
                            + " fields where the first has " + width);
                }
                fields = 1;
                afterQuote = false;
                line++;
                recordLine = line;
                if (last) {
                    return List.of("csv");
                }
            } else if (afterQuote) {
                throw new IllegalArgumentException("the CSV content has text after a closing quote (line " + line + ")");
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("the CSV content ends inside a quoted field (opened by line " + recordLine + ")");
        }
        if (width >= 0 && fields != width) {
            throw new IllegalArgumentException("the CSV record on line " + recordLine + " has " + fields
                    + " fields where the first has " + width);
        }
        return List.of("csv");
    }

    /** An Office Open XML workbook is a ZIP holding [Content_Types].xml and xl/workbook.xml; entry names only are read. */
    private static List<String> xlsx(byte[] content) {
        Set<String> names = new HashSet<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(content))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                names.add(e.getName());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the content is not a readable ZIP archive, as an XLSX workbook is");
        }
        List<String> missing = new ArrayList<>();
        for (String required : List.of("[Content_Types].xml", "xl/workbook.xml")) {
            if (!names.contains(required)) {
                missing.add(required);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the content is not an XLSX workbook: it lacks " + String.join(" and ", missing));
        }
        return List.of("xlsx");
    }

    /** The root element of a JSON object delivered as XML. */
    public static final String XML_ROOT = "data";

    private static boolean converts(byte[] content, String from, String to) {
        try {
            byte[] converted = BodyConverter.convert(content, from, to, XML_ROOT);
            if ("xml".equals(to)) {
                xmlWellFormed(converted);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void xmlWellFormed(byte[] content) {
        XMLStreamReader r = null;
        try {
            r = XML.createXMLStreamReader(new ByteArrayInputStream(content));
            while (r.hasNext()) {
                r.next();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not well-formed", e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing was held open beyond the byte array
                }
            }
        }
    }

    private static String where(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            return " (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
        }
        return "";
    }

    private static XMLInputFactory secureXml() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
