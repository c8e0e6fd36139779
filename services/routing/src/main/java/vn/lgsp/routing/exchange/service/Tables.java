package vn.lgsp.routing.exchange.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Tabular files (REQUIREMENTS X6: CSV, XLSX) as rows of text, so the exchange can deliver them in the format the
 * recipient reads (X5 step 5, "converts it into valid formats"): RFC 4180 CSV read and written, the first worksheet
 * of an Office Open XML workbook read (shared and inline strings, numbers as stored, booleans, dates by their cell
 * format as ISO-8601), and a table with a header row as a JSON array of objects and back.
 * <p>
 * Every value is text: CSV has no types, and a number keeps the digits the source wrote. A workbook is read with
 * no DTDs and at most {@link #MAX_INFLATED} bytes inflated, so a ZIP bomb costs a refusal, not the replica.
 */
public final class Tables {

    /**
     * Inflated bytes read from one workbook (its sheet, strings, styles) before giving up: the largest content an
     * exchange takes, so converting a workbook costs a replica no more memory than a CSV of that size.
     */
    static final long MAX_INFLATED = 16L * 1024 * 1024;
    /**
     * Cells of a table converted (rows × columns), and characters of what it converts to (estimated before it is
     * written): a small upload must not become a large table (a sheet padded to its widest row, one long shared
     * string repeated, sparse JSON keys), so a bigger one is delivered only as uploaded.
     */
    static final long MAX_CELLS = 1_000_000;
    static final long MAX_OUTPUT_CHARS = 32L * 1024 * 1024;
    /** The last column a workbook has (XFD). */
    static final int MAX_COLUMNS = 16_384;

    /** Decimals kept as written (1.50 stays 1.50), as a table's text would have them. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static final XMLInputFactory XML = secureXml();

    private Tables() {
    }

    // ---------------------------------------------------------------- CSV (RFC 4180)

    /**
     * The records of a UTF-8 CSV text: quoted fields may hold commas, quotes ("") and line breaks; every record has
     * the first one's width; a leading byte order mark is dropped. Throws {@link IllegalArgumentException} naming
     * the line.
     */
    static List<List<String>> readCsv(byte[] content) {
        List<List<String>> rows = parseCsv(content, true);
        checkSize(rows);
        return rows;
    }

    /** Checks a CSV text as {@link #readCsv} does, keeping nothing: any size the exchange takes is accepted. */
    static void checkCsv(byte[] content) {
        parseCsv(content, false);
    }

    private static List<List<String>> parseCsv(byte[] content, boolean keep) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the CSV content is not UTF-8");
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int[] width = { -1 };
        long[] cells = { 0 };
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean afterQuote = false;
        boolean fieldStart = true;
        int n = text.length();
        for (int i = text.startsWith("\uFEFF") ? 1 : 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (c == '"') {
                if (!fieldStart) {
                    throw new IllegalArgumentException(afterQuote
                            ? "the CSV content has text after a closing quote (line " + line + ")"
                            : "the CSV content has a quote inside an unquoted field (line " + line + ")");
                }
                quoted = true;
                fieldStart = false;
            } else if (c == ',') {
                record.add(text(field, keep));
                field.setLength(0);
                afterQuote = false;
                fieldStart = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(text(field, keep));
                field.setLength(0);
                endRecord(rows, record, recordLine, width, cells, keep);
                record = new ArrayList<>();
                afterQuote = false;
                fieldStart = true;
                line++;
                recordLine = line;
            } else if (afterQuote) {
                throw new IllegalArgumentException("the CSV content has text after a closing quote (line " + line + ")");
            } else {
                field.append(c);
                fieldStart = false;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("the CSV content ends inside a quoted field (opened by line " + recordLine + ")");
        }
        if (!fieldStart || !record.isEmpty()) {
            record.add(text(field, keep));
            endRecord(rows, record, recordLine, width, cells, keep);
        }
        return rows;
    }

    /** A field's text; nothing kept when only checking, and every empty field the same string. */
    private static String text(StringBuilder field, boolean keep) {
        return !keep || field.length() == 0 ? "" : field.toString();
    }

    private static void endRecord(List<List<String>> rows, List<String> record, int line, int[] width, long[] cells,
            boolean keep) {
        if (width[0] < 0) {
            width[0] = record.size();
        } else if (record.size() != width[0]) {
            throw new IllegalArgumentException("the CSV record on line " + line + " has " + record.size()
                    + " fields where the first has " + width[0]);
        }
        if (keep) {
            cells[0] += record.size();
            if (cells[0] > MAX_CELLS) {
                throw tooLarge();
            }
            rows.add(record);
        }
    }

    private static IllegalArgumentException tooLarge() {
        return new IllegalArgumentException("the table is too large to convert (more than " + MAX_CELLS + " cells or "
                + (MAX_OUTPUT_CHARS >> 20) + " Mi characters)");
    }

    /**
     * Refuses a table whose cells, or whose JSON or XML (every row repeating the column names), would pass the
     * limits, before anything is written.
     */
    static void checkSize(List<List<String>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        long width = rows.get(0).size();
        if (width * rows.size() > MAX_CELLS) {
            throw tooLarge();
        }
        long names = 0;
        for (String name : rows.get(0)) {
            names += name.length();
        }
        long chars = (rows.size() - 1) * (2 * names + 8 * width);
        for (List<String> row : rows) {
            for (String v : row) {
                chars += v.length();
            }
            if (chars > MAX_OUTPUT_CHARS) {
                throw tooLarge();
            }
        }
    }

    /** RFC 4180 text: CRLF after every record; a field is quoted when it holds a comma, a quote or a line break. */
    static byte[] writeCsv(List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                String v = row.get(i);
                if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                    out.append('"').append(v.replace("\"", "\"\"")).append('"');
                } else {
                    out.append(v);
                }
            }
            out.append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- JSON

    /**
     * A table whose first row names its columns (each non-empty and different) as a JSON array of objects, one per
     * further row; throws {@link IllegalArgumentException} saying why it cannot be.
     */
    static byte[] toJson(List<List<String>> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("the table has no header row");
        }
        List<String> header = rows.get(0);
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            if (name.isBlank() || !seen.add(name)) {
                throw new IllegalArgumentException("the header row's column names must be non-empty and distinct");
            }
        }
        ArrayNode array = JSON.createArrayNode();
        for (List<String> row : rows.subList(1, rows.size())) {
            ObjectNode o = array.addObject();
            for (int i = 0; i < header.size(); i++) {
                o.put(header.get(i), i < row.size() ? row.get(i) : "");
            }
        }
        try {
            return JSON.writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the table could not be written as JSON");
        }
    }

    /**
     * A JSON array of flat objects (values strings, numbers, booleans or null) as a table: the header is every key
     * in the order first seen, a missing key or null an empty field. Throws {@link IllegalArgumentException}
     * otherwise.
     */
    static List<List<String>> fromJson(byte[] content) {
        JsonNode tree;
        try {
            tree = JSON.readTree(content);
        } catch (IOException e) {
            throw new IllegalArgumentException("the content is not well-formed JSON");
        }
        if (tree == null || !tree.isArray()) {
            throw new IllegalArgumentException("only a JSON array of objects is a table");
        }
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        for (JsonNode item : tree) {
            if (columns.size() > MAX_COLUMNS || (long) columns.size() * tree.size() > MAX_CELLS) {
                throw tooLarge();
            }
            if (!item.isObject()) {
                throw new IllegalArgumentException("only a JSON array of objects is a table");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getValue().isContainerNode()) {
                    throw new IllegalArgumentException("field " + f.getKey() + " holds a nested value");
                }
                columns.add(f.getKey());
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("the JSON array holds no fields");
        }
        if ((long) columns.size() * (tree.size() + 1) > MAX_CELLS) {
            throw tooLarge();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.copyOf(columns));
        for (JsonNode item : tree) {
            List<String> row = new ArrayList<>(columns.size());
            for (String c : columns) {
                JsonNode v = item.get(c);
                row.add(v == null || v.isNull() ? "" : v.asText());
            }
            rows.add(row);
        }
        checkSize(rows);
        return rows;
    }

    // ---------------------------------------------------------------- XLSX (Office Open XML, first worksheet)

    /**
     * The first worksheet of a workbook as rows, each as wide as the widest (empty cells as ""); rows without any
     * cell are left out. Throws {@link IllegalArgumentException} saying what could not be read.
     */
    static List<List<String>> readXlsx(byte[] content) {
        ZipArchive zip = ZipArchive.of(content);
        long[] budget = { MAX_INFLATED };
        byte[] workbook = part(zip, "xl/workbook.xml", budget, true);
        String sheetRel = null;
        boolean date1904 = false;
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(workbook));
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT) {
                    if (r.getLocalName().equals("workbookPr")) {
                        String v = r.getAttributeValue(null, "date1904");
                        date1904 = "1".equals(v) || "true".equals(v);
                    } else if (r.getLocalName().equals("sheet") && sheetRel == null) {
                        sheetRel = relationshipId(r);
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("the workbook part is not well-formed XML");
        }
        if (sheetRel == null) {
            throw new IllegalArgumentException("the workbook has no worksheet");
        }
        String sheetPath = target(part(zip, "xl/_rels/workbook.xml.rels", budget, true), sheetRel);
        byte[] shared = part(zip, "xl/sharedStrings.xml", budget, false);
        byte[] styles = part(zip, "xl/styles.xml", budget, false);
        return sheet(part(zip, sheetPath, budget, true), shared == null ? List.of() : sharedStrings(shared),
                styles == null ? List.of() : kinds(styles), date1904);
    }

    /** One part, inflated within what is left of {@link #MAX_INFLATED}; null when optional and absent. */
    private static byte[] part(ZipArchive zip, String name, long[] budget, boolean required) {
        ZipArchive.Entry e = zip.entries().get(name);
        if (e == null) {
            if (required) {
                throw new IllegalArgumentException("the workbook lacks " + name);
            }
            return null;
        }
        return zip.read(e, budget, MAX_INFLATED);
    }

    private static String relationshipId(XMLStreamReader r) {
        for (int i = 0; i < r.getAttributeCount(); i++) {
            if (r.getAttributeLocalName(i).equals("id")
                    && r.getAttributeNamespace(i) != null && r.getAttributeNamespace(i).contains("relationships")) {
                return r.getAttributeValue(i);
            }
        }
        return null;
    }

    /** The part a relationship points at, as a name inside the archive (targets are relative to xl/ or absolute). */
    private static String target(byte[] rels, String id) {
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(rels));
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("Relationship")
                        && id.equals(r.getAttributeValue(null, "Id"))) {
                    String t = r.getAttributeValue(null, "Target");
                    if (t == null) {
                        break;
                    }
                    return t.startsWith("/") ? t.substring(1) : "xl/" + t;
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("the workbook's relationships are not well-formed XML");
        }
        throw new IllegalArgumentException("the workbook names a worksheet it does not hold");
    }

    /** Each shared string: the text of its runs, without phonetic hints. */
    private static List<String> sharedStrings(byte[] part) {
        List<String> out = new ArrayList<>();
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(part));
            StringBuilder text = null;
            int phonetic = 0;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "si" -> text = new StringBuilder();
                        case "rPh" -> phonetic++;
                        case "t" -> {
                            String t = r.getElementText();
                            if (text != null && phonetic == 0) {
                                text.append(t);
                            }
                        }
                        default -> {
                        }
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    if (r.getLocalName().equals("si") && text != null) {
                        out.add(text.toString());
                        text = null;
                    } else if (r.getLocalName().equals("rPh")) {
                        phonetic--;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("the workbook's shared strings are not well-formed XML");
        }
        return out;
    }

    /** What a number format shows: a number, a date (maybe with a time), or a time of day. */
    enum Kind {
        NUMBER, DATE, TIME
    }

    /** For each cell format (cellXfs index), what it shows. */
    private static List<Kind> kinds(byte[] part) {
        Map<Integer, String> custom = new HashMap<>();
        List<Kind> out = new ArrayList<>();
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(part));
            boolean inCellXfs = false;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "numFmt" -> custom.put(intOr(r.getAttributeValue(null, "numFmtId"), -1),
                                r.getAttributeValue(null, "formatCode"));
                        case "cellXfs" -> inCellXfs = true;
                        case "xf" -> {
                            if (inCellXfs) {
                                int id = intOr(r.getAttributeValue(null, "numFmtId"), 0);
                                out.add(kind(id, custom.get(id)));
                            }
                        }
                        default -> {
                        }
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("cellXfs")) {
                    inCellXfs = false;
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("the workbook's styles are not well-formed XML");
        }
        return out;
    }

    /**
     * Built-in formats (ECMA-376 §18.8.30: 14–17 and 22 dates, 18–21 and 45–47 times), else the letters of the format
     * code outside quotes, brackets and escapes: y or d make a date (with a time if h or s too), h or s alone a time,
     * m alone a month (a date).
     */
    static Kind kind(int id, String code) {
        if ((id >= 14 && id <= 17) || id == 22) {
            return Kind.DATE;
        }
        if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) {
            return Kind.TIME;
        }
        if (code == null) {
            return Kind.NUMBER;
        }
        boolean inQuote = false;
        boolean inBracket = false;
        boolean date = false;
        boolean time = false;
        boolean month = false;
        for (int i = 0; i < code.length(); i++) {
            char c = Character.toLowerCase(code.charAt(i));
            if (c == '"') {
                inQuote = !inQuote;
            } else if (inQuote) {
                continue;
            } else if (c == '[') {
                inBracket = true;
            } else if (c == ']') {
                inBracket = false;
            } else if (c == '\\' || c == '_' || c == '*') {
                i++; // an escaped character, a space as wide as the next one, a fill character
            } else if (!inBracket) {
                date |= c == 'y' || c == 'd';
                time |= c == 'h' || c == 's';
                month |= c == 'm';
            }
        }
        return date || (month && !time) ? Kind.DATE : time ? Kind.TIME : Kind.NUMBER;
    }

    private static List<List<String>> sheet(byte[] part, List<String> strings, List<Kind> kinds, boolean date1904) {
        List<Map<Integer, String>> rows = new ArrayList<>();
        int width = 0;
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new ByteArrayInputStream(part));
            Map<Integer, String> row = null;
            int nextColumn = 0;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if (name.equals("row")) {
                        row = new HashMap<>();
                        nextColumn = 0;
                    } else if (name.equals("c") && row != null) {
                        String ref = r.getAttributeValue(null, "r");
                        int column = ref == null ? nextColumn : column(ref);
                        if (column >= MAX_COLUMNS) {
                            throw new IllegalArgumentException("a row has cells beyond the last column (XFD)");
                        }
                        String value = cell(r, strings, kinds, date1904);
                        if (value != null) {
                            row.put(column, value);
                            width = Math.max(width, column + 1);
                        }
                        nextColumn = column + 1;
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("row") && row != null) {
                    if (!row.isEmpty()) {
                        rows.add(row);
                    }
                    row = null;
                }
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("the worksheet is not well-formed XML");
        }
        if ((long) width * rows.size() > MAX_CELLS) {
            throw tooLarge();
        }
        List<List<String>> out = new ArrayList<>(rows.size());
        for (Map<Integer, String> row : rows) {
            List<String> cells = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                cells.add(row.getOrDefault(i, ""));
            }
            out.add(cells);
        }
        checkSize(out);
        return out;
    }

    /** The text of one cell, reading up to its end; null for an empty one. */
    private static String cell(XMLStreamReader r, List<String> strings, List<Kind> kinds, boolean date1904)
            throws XMLStreamException {
        String type = r.getAttributeValue(null, "t");
        int style = intOr(r.getAttributeValue(null, "s"), 0);
        String v = null;
        StringBuilder inline = null;
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (r.getLocalName().equals("v")) {
                    v = r.getElementText();
                    depth--;
                } else if (r.getLocalName().equals("t")) {
                    if (inline == null) {
                        inline = new StringBuilder();
                    }
                    inline.append(r.getElementText());
                    depth--;
                } else if (r.getLocalName().equals("rPh")) {
                    skip(r);
                    depth--;
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        if ("inlineStr".equals(type)) {
            return inline == null ? null : inline.toString();
        }
        if (v == null) {
            return null;
        }
        return switch (type == null ? "n" : type) {
            case "s" -> {
                int i = intOr(v.strip(), -1);
                if (i < 0 || i >= strings.size()) {
                    throw new IllegalArgumentException("a cell names shared string " + v + ", which the workbook lacks");
                }
                yield strings.get(i);
            }
            case "b" -> "1".equals(v.strip()) ? "TRUE" : "FALSE";
            case "n" -> date(v, style < kinds.size() ? kinds.get(style) : Kind.NUMBER, date1904);
            default -> v; // str (a formula's text), e (an error such as #N/A), d (ISO-8601 already)
        };
    }

    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /** Longer than any number a cell holds as written: left as is rather than computed on. */
    private static final int MAX_NUMBER_LENGTH = 64;

    /** A number as written, unless in exponent form (1.5E9), which tables and their readers seldom expect. */
    static String plain(String number) {
        if (number.indexOf('E') < 0 && number.indexOf('e') < 0) {
            return number;
        }
        BigDecimal value = decimal(number);
        // 1E+999999999 would be a gigabyte of zeros: only modest exponents are written out
        return value == null || Math.abs(value.scale()) > 100 ? number : value.toPlainString();
    }

    /** The number a cell holds, or null when it is none or too long to be one a spreadsheet wrote. */
    private static BigDecimal decimal(String text) {
        String t = text.strip();
        if (t.length() > MAX_NUMBER_LENGTH) {
            return null;
        }
        try {
            return new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final java.time.format.DateTimeFormatter DATE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
    private static final java.time.format.DateTimeFormatter TIME_OF_DAY =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss");

    /**
     * A cell's number shown as its format says: a serial date (days since 1899-12-31 in the 1900 system, with
     * Excel's fictitious 29 February 1900 at 60; since 1904-01-01 in the 1904 system) as an ISO-8601 date, or date and
     * time to the second; a time of day as HH:mm:ss; anything else as {@link #plain}.
     */
    static String date(String serial, Kind kind, boolean date1904) {
        if (kind == Kind.NUMBER) {
            return plain(serial);
        }
        BigDecimal value = decimal(serial);
        if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.valueOf(2_958_466)) >= 0
                || Math.abs(value.scale()) > 20) {
            return serial; // outside what Excel shows as a date (up to 9999-12-31)
        }
        long seconds = value.multiply(BigDecimal.valueOf(86_400)).setScale(0, java.math.RoundingMode.HALF_UP).longValue();
        if (kind == Kind.TIME && value.compareTo(BigDecimal.ONE) < 0) {
            return java.time.LocalTime.ofSecondOfDay(seconds % 86_400).format(TIME_OF_DAY);
        }
        LocalDate epoch;
        if (date1904) {
            epoch = LocalDate.of(1904, 1, 1);
        } else if (value.compareTo(BigDecimal.valueOf(60)) < 0) {
            epoch = LocalDate.of(1899, 12, 31);
        } else if (value.compareTo(BigDecimal.valueOf(61)) < 0) {
            return serial; // 29 February 1900, a day that never was
        } else {
            epoch = LocalDate.of(1899, 12, 30);
        }
        LocalDateTime at = epoch.atStartOfDay().plusSeconds(seconds);
        return at.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) ? at.toLocalDate().toString() : at.format(DATE_TIME);
    }

    /** Column index of a cell reference such as {@code B7} (A = 0). */
    static int column(String ref) {
        int c = 0;
        for (int i = 0; i < ref.length(); i++) {
            char ch = ref.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                c = c * 26 + (ch - 'A' + 1);
            } else if (ch >= 'a' && ch <= 'z') {
                c = c * 26 + (ch - 'a' + 1);
            } else {
                break;
            }
            if (c > 16_384) {
                throw new IllegalArgumentException("cell reference " + ref + " is beyond the last column (XFD)");
            }
        }
        if (c == 0) {
            throw new IllegalArgumentException("cell reference " + ref + " names no column");
        }
        return c - 1;
    }

    private static int intOr(String v, int otherwise) {
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static XMLInputFactory secureXml() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }
}
