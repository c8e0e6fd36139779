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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import vn.lgsp.routing.transform.BodyConverter;

/**
 * Step 5 of X5: the platform analyses what the source uploaded before telling anyone — the content must be what the
 * envelope says (well-formed JSON or XML, rectangular UTF-8 CSV, an Office Open XML workbook) — and works out the
 * formats it can deliver it in, each conversion tried before it is offered: JSON object ↔ XML through the gateway's
 * own {@link BodyConverter}; tables ({@link Tables}) — a CSV or a workbook's first sheet as CSV, JSON and XML, a JSON
 * array of flat objects as CSV — within the limits Tables sets.
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
        return bounded(() -> switch (dataType) {
            case "json" -> json(content);
            case "xml" -> xml(content);
            case "csv" -> csv(content);
            case "xlsx" -> xlsx(content);
            default -> throw new IllegalArgumentException("unknown data type " + dataType);
        });
    }

    /**
     * At most two analyses or conversions at once per replica (on worker threads): each may hold a table of up to
     * {@link Tables#MAX_CELLS} cells and its output, so their number, not only their size, bounds the memory taken.
     */
    private static final java.util.concurrent.Semaphore HEAVY = new java.util.concurrent.Semaphore(2, true);

    private static <T> T bounded(java.util.function.Supplier<T> work) {
        HEAVY.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            HEAVY.release();
        }
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
            if (first == JsonToken.START_OBJECT) {
                return converts(content, "json", "xml") ? List.of("json", "xml") : List.of("json");
            }
            // An array of flat objects (records) is a table: offered as CSV.
            return first == JsonToken.START_ARRAY && converts(content, "json", "csv") ? List.of("json", "csv")
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

    /** RFC 4180 (see {@link Tables#readCsv}); its first record names the columns of the JSON and XML it converts to. */
    private static List<String> csv(byte[] content) {
        Tables.checkCsv(content);
        List<List<String>> rows;
        try {
            rows = Tables.readCsv(content);
        } catch (IllegalArgumentException tooLarge) {
            return List.of("csv");
        }
        return tableFormats("csv", rows);
    }

    /**
     * An Office Open XML workbook is a ZIP holding [Content_Types].xml and xl/workbook.xml; entry names are read from
     * its central directory.
     */
    private static List<String> xlsx(byte[] content) {
        Set<String> names;
        try {
            names = ZipArchive.of(content).entries().keySet();
        } catch (IllegalArgumentException e) {
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
        // Its first worksheet is what converts; a workbook whose sheet cannot be read is still delivered as uploaded.
        List<List<String>> rows;
        try {
            rows = Tables.readXlsx(content);
        } catch (IllegalArgumentException e) {
            return List.of("xlsx");
        }
        return tableFormats("xlsx", rows);
    }

    /**
     * The formats a table converts to besides its own: CSV always; JSON (an array of objects) when the first row
     * names the columns, each non-empty and distinct; XML ({@code <data><row>…</row></data>}) when those names are
     * XML names too.
     */
    private static List<String> tableFormats(String own, List<List<String>> rows) {
        List<String> formats = new ArrayList<>(List.of(own));
        if (!own.equals("csv")) {
            formats.add("csv");
        }
        byte[] json;
        try {
            json = Tables.toJson(rows);
        } catch (IllegalArgumentException e) {
            return formats;
        }
        formats.add("json");
        try {
            xmlWellFormed(tableXml(json));
            formats.add("xml");
        } catch (RuntimeException e) {
            // a column name that is no XML element name: XML is not offered
        }
        return formats;
    }

    /** A table's JSON array as an XML document: one {@code row} element per object, under {@value #XML_ROOT}. */
    private static byte[] tableXml(byte[] jsonArray) {
        byte[] wrapped = new byte[jsonArray.length + 8];
        System.arraycopy("{\"row\":".getBytes(StandardCharsets.UTF_8), 0, wrapped, 0, 7);
        System.arraycopy(jsonArray, 0, wrapped, 7, jsonArray.length);
        wrapped[wrapped.length - 1] = '}';
        return BodyConverter.convert(wrapped, "json", "xml", XML_ROOT);
    }

    /**
     * The content in another of the formats {@link #analyse} offered for it; throws {@link IllegalArgumentException}
     * for a pair it does not convert.
     */
    public static byte[] convert(byte[] content, String from, String to) {
        if (from.equals(to)) {
            return content;
        }
        return bounded(() -> convertNow(content, from, to));
    }

    private static byte[] convertNow(byte[] content, String from, String to) {
        return switch (from + ">" + to) {
            case "json>xml", "xml>json" -> BodyConverter.convert(content, from, to, XML_ROOT);
            case "json>csv" -> Tables.writeCsv(Tables.fromJson(content));
            case "csv>json" -> Tables.toJson(Tables.readCsv(content));
            case "csv>xml" -> tableXml(Tables.toJson(Tables.readCsv(content)));
            case "xlsx>csv" -> Tables.writeCsv(Tables.readXlsx(content));
            case "xlsx>json" -> Tables.toJson(Tables.readXlsx(content));
            case "xlsx>xml" -> tableXml(Tables.toJson(Tables.readXlsx(content)));
            default -> throw new IllegalArgumentException("no conversion from " + from + " to " + to);
        };
    }

    /** The root element of a JSON object delivered as XML. */
    public static final String XML_ROOT = "data";

    private static boolean converts(byte[] content, String from, String to) {
        try {
            byte[] converted = convertNow(content, from, to);
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
