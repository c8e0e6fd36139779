package vn.lgsp.routing.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;

/**
 * Tables for the exchange's file formats (REQUIREMENTS X6): RFC 4180 CSV both ways, workbooks written by an
 * independent XLSX library (fastexcel) and by hand the way other tools write them, a table as JSON and back.
 */
class TablesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void csvIsReadAndWrittenByRfc4180() {
        String text = "\uFEFFma,ten,ghiChu\r\n1,\"Nguyễn, Văn A\",\"nói \"\"xin chào\"\"\"\r\n2,Trần B,\"hai\ndòng\"\r\n3,,\r\n";
        List<List<String>> rows = Tables.readCsv(text.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(List.of("ma", "ten", "ghiChu"), List.of("1", "Nguyễn, Văn A", "nói \"xin chào\""),
                List.of("2", "Trần B", "hai\ndòng"), List.of("3", "", "")), rows, "the byte order mark is not a name");
        String written = new String(Tables.writeCsv(rows), StandardCharsets.UTF_8);
        assertEquals("ma,ten,ghiChu\r\n1,\"Nguyễn, Văn A\",\"nói \"\"xin chào\"\"\"\r\n2,Trần B,\"hai\ndòng\"\r\n3,,\r\n",
                written);
        assertEquals(rows, Tables.readCsv(written.getBytes(StandardCharsets.UTF_8)), "what is written reads back the same");
        assertEquals(List.of(List.of("a", "b"), List.of("1", "")), Tables.readCsv("a,b\n1,".getBytes(StandardCharsets.UTF_8)),
                "a last empty field without a line break");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.readCsv(new byte[] { (byte) 0xC3, 0x28 }))
                .getMessage().contains("not UTF-8"));
    }

    @Test
    void aTableIsAJsonArrayOfObjectsAndBack() throws IOException {
        List<List<String>> rows = List.of(List.of("soDinhDanh", "hoTen"), List.of("001099012345", "Nguyễn Văn A"),
                List.of("001099012346", ""));
        JsonNode json = JSON.readTree(Tables.toJson(rows));
        assertEquals(2, json.size());
        assertEquals("001099012345", json.get(0).get("soDinhDanh").asText(), "identifiers keep their leading zeros");
        assertEquals("", json.get(1).get("hoTen").asText());
        assertEquals(rows, Tables.fromJson(Tables.toJson(rows)));

        // numbers, booleans, nulls and missing keys, in the order the keys were first seen
        List<List<String>> back = Tables.fromJson("[{\"a\":1.50,\"b\":true},{\"c\":null,\"a\":\"x\"}]"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(List.of("a", "b", "c"), List.of("1.50", "true", ""), List.of("x", "", "")), back);
        assertThrows(IllegalArgumentException.class, () -> Tables.fromJson("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.fromJson("[{\"a\":[1]}]"
                .getBytes(StandardCharsets.UTF_8))).getMessage().contains("nested"));
        assertThrows(IllegalArgumentException.class, () -> Tables.toJson(List.of(List.of("a", "a"), List.of("1", "2"))));
    }

    @Test
    void aWorkbookWrittenByAnotherLibraryReadsAsItsFirstSheet() throws IOException {
        byte[] xlsx = workbook(ws -> {
            ws.value(0, 0, "maSoThue");
            ws.value(0, 1, "ten");
            ws.value(0, 2, "ngayGiaiThe");
            ws.value(0, 3, "vonDieuLe");
            ws.value(0, 4, "conHoatDong");
            ws.value(1, 0, "0101234567");
            ws.value(1, 1, "Công ty TNHH Hòa Bình, Hà Nội");
            ws.value(1, 2, LocalDate.of(2026, 11, 20));
            ws.style(1, 2).format("dd/mm/yyyy").set();
            ws.value(1, 3, 1500000000.5);
            ws.value(1, 4, false);
            // row 3 left empty; row 4 has gaps
            ws.value(3, 0, "0309876543");
            ws.value(3, 2, LocalDateTime.of(2026, 1, 2, 8, 30, 15));
            ws.style(3, 2).format("yyyy-mm-dd hh:mm:ss").set();
        }, wb -> wb.newWorksheet("Khac").value(0, 0, "not the first sheet"));
        List<List<String>> rows = Tables.readXlsx(xlsx);
        assertEquals(List.of(
                List.of("maSoThue", "ten", "ngayGiaiThe", "vonDieuLe", "conHoatDong"),
                List.of("0101234567", "Công ty TNHH Hòa Bình, Hà Nội", "2026-11-20", "1500000000.5", "FALSE"),
                List.of("0309876543", "", "2026-01-02T08:30:15", "", "")), rows);

        assertEquals("maSoThue,ten,ngayGiaiThe,vonDieuLe,conHoatDong\r\n"
                + "0101234567,\"Công ty TNHH Hòa Bình, Hà Nội\",2026-11-20,1500000000.5,FALSE\r\n"
                + "0309876543,,2026-01-02T08:30:15,,\r\n",
                new String(ContentAnalyser.convert(xlsx, "xlsx", "csv"), StandardCharsets.UTF_8));
        assertEquals(List.of("xlsx", "csv", "json", "xml"), ContentAnalyser.analyse("xlsx", xlsx));
        String xml = new String(ContentAnalyser.convert(xlsx, "xlsx", "xml"), StandardCharsets.UTF_8);
        assertTrue(xml.startsWith("<data><row><maSoThue>0101234567</maSoThue>"), xml);
        assertEquals(2, xml.split("<row>", -1).length - 1, xml);
    }

    @Test
    void aHandWrittenWorkbookWithInlineStrings1904DatesAndAbsoluteTargets() throws IOException {
        byte[] xlsx = zip(Map.of(
                "[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
                "xl/workbook.xml", """
                        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
                          xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                          <workbookPr date1904="1"/><sheets><sheet name="DS" sheetId="7" r:id="rId9"/></sheets></workbook>""",
                "xl/_rels/workbook.xml.rels", """
                        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                          <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
                            Target="/xl/worksheets/danhsach.xml"/></Relationships>""",
                "xl/styles.xml", """
                        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
                          <numFmts><numFmt numFmtId="164" formatCode="&quot;Ngày&quot; d"/>
                                   <numFmt numFmtId="165" formatCode="[Red]#,##0_);&quot;day&quot;"/></numFmts>
                          <cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>""",
                "xl/worksheets/danhsach.xml", """
                        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                          <row r="1"><c r="A1" t="inlineStr"><is><r><t>ma</t></r><r><t>Xa</t></r></is></c>
                                     <c r="C1" t="inlineStr"><is><t>ngay</t></is></c><c r="D1" t="inlineStr"><is><t>so</t></is></c></row>
                          <row r="2"><c r="A2" t="str"><f>A1&amp;"1"</f><v>maXa1</v></c><c r="C2" s="1"><v>0</v></c>
                                     <c r="D2" s="2"><v>42</v></c></row>
                          <row r="3"><c r="A3" t="e"><v>#N/A</v></c><c r="B3"/></row>
                        </sheetData></worksheet>"""));
        assertEquals(List.of(List.of("maXa", "", "ngay", "so"), List.of("maXa1", "", "1904-01-01", "42"),
                List.of("#N/A", "", "", "")), Tables.readXlsx(xlsx));
    }

    @Test
    void aWorkbookThatInflatesBeyondTheLimitIsNotConverted() throws IOException {
        // A sheet of ~70 MiB of the same bytes compresses to well under a megabyte: a small ZIP bomb.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.putNextEntry(new ZipEntry("xl/workbook.xml"));
            zip.write(("<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                    + "<sheets><sheet r:id=\"rId1\"/></sheets></workbook>").getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/_rels/workbook.xml.rels"));
            zip.write("<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
                    .getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("xl/worksheets/sheet1.xml"));
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, (byte) ' ');
            for (int i = 0; i < 70; i++) {
                zip.write(block);
            }
        }
        byte[] bomb = out.toByteArray();
        assertTrue(bomb.length < 1 << 20, "the archive itself is small: " + bomb.length);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.readXlsx(bomb)).getMessage()
                .contains("inflates to more than 16 MiB"));
        assertEquals(List.of("xlsx"), ContentAnalyser.analyse("xlsx", bomb), "accepted as uploaded, offered as nothing else");
    }

    @Test
    void dateFormatsAndSerials() {
        assertEquals(Tables.Kind.DATE, Tables.kind(14, null));
        assertEquals(Tables.Kind.TIME, Tables.kind(20, null));
        assertEquals(Tables.Kind.DATE, Tables.kind(200, "dd/mm/yyyy"));
        assertEquals(Tables.Kind.DATE, Tables.kind(200, "yyyy-mm-dd hh:mm:ss"));
        assertEquals(Tables.Kind.TIME, Tables.kind(201, "[$-42A]h:mm AM/PM"));
        assertEquals(Tables.Kind.DATE, Tables.kind(202, "mmm"), "m alone is a month");
        assertEquals(Tables.Kind.NUMBER, Tables.kind(203, "#,##0.00 \"đ\""));
        assertEquals(Tables.Kind.NUMBER, Tables.kind(204, "0.00E+00"));
        assertEquals(Tables.Kind.NUMBER, Tables.kind(205, "_-* #,##0_-"), "_ and * take the next character as a width or a fill");

        assertEquals("2026-11-20", Tables.date("46346", Tables.Kind.DATE, false));
        assertEquals("2026-11-20T12:00:00", Tables.date("46346.5", Tables.Kind.DATE, false), "to the second, always");
        assertEquals("2026-11-21", Tables.date("46346.999999999", Tables.Kind.DATE, false), "rounded to the next midnight");
        assertEquals("12:30:00", Tables.date("0.5208333333", Tables.Kind.TIME, false), "a time of day, not a date in 1899");
        assertEquals("1900-01-01", Tables.date("1", Tables.Kind.DATE, false), "Excel's first day");
        assertEquals("1900-02-28", Tables.date("59", Tables.Kind.DATE, false));
        assertEquals("60", Tables.date("60", Tables.Kind.DATE, false), "29 February 1900 never was");
        assertEquals("1900-03-01", Tables.date("61", Tables.Kind.DATE, false));
        assertEquals("1904-01-02", Tables.date("1", Tables.Kind.DATE, true));
        assertEquals("-1", Tables.date("-1", Tables.Kind.DATE, false), "not a date Excel shows");
        assertEquals("1E-999999999", Tables.date("1E-999999999", Tables.Kind.DATE, false), "no arithmetic on such a number");
        assertEquals("1500000000.5", Tables.plain("1.5000000005E9"));
        assertEquals("0.001", Tables.plain("1E-3"));
        assertEquals("1E+999999999", Tables.plain("1E+999999999"), "a gigabyte of zeros is not written out");
        assertEquals("1E+2147483647", Tables.date("1E+2147483647", Tables.Kind.NUMBER, false));
        assertEquals(27, Tables.column("AB12"));
        assertThrows(IllegalArgumentException.class, () -> Tables.column("XFE1"));
    }

    @Test
    void aSmallUploadThatWouldBecomeAHugeTableIsNotConverted() throws IOException {
        // one cell in the last column, then many one-cell rows: every row would be padded to 16384 columns
        StringBuilder wide = new StringBuilder("<row><c r=\"XFD1\"><v>1</v></c></row>");
        wide.append("<row><c><v>1</v></c></row>".repeat(200));
        assertTooLarge(sheet(wide.toString(), null));
        // cells without references past the last column
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.readXlsx(sheet("<row>"
                + "<c/>".repeat(16_384) + "<c><v>1</v></c></row>", null))).getMessage().contains("last column"));
        // one long shared string repeated in every cell
        StringBuilder repeated = new StringBuilder("<row><c t=\"inlineStr\"><is><t>ten</t></is></c></row>");
        repeated.append("<row><c t=\"s\"><v>0</v></c></row>".repeat(20_000));
        assertTooLarge(sheet(repeated.toString(), "<sst><si><t>" + "x".repeat(4096) + "</t></si></sst>"));
        // sparse JSON keys: each object its own column
        StringBuilder sparse = new StringBuilder("[");
        for (int i = 0; i < 5000; i++) {
            sparse.append(i == 0 ? "" : ",").append("{\"k").append(i).append("\":0}");
        }
        byte[] json = sparse.append(']').toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.fromJson(json)).getMessage()
                .contains("too large"));
        assertEquals(List.of("json"), ContentAnalyser.analyse("json", json), "kept as uploaded, offered as nothing else");
        // a CSV of only commas is accepted as CSV (any size the exchange takes) without building its table
        byte[] commas = ",".repeat(2_000_000).getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("csv"), ContentAnalyser.analyse("csv", commas));
    }

    private static void assertTooLarge(byte[] xlsx) {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Tables.readXlsx(xlsx)).getMessage()
                .contains("too large to convert"));
        assertEquals(List.of("xlsx"), ContentAnalyser.analyse("xlsx", xlsx), "accepted as uploaded, offered as nothing else");
    }

    /** A workbook of one sheet with the given rows (and shared strings). */
    private static byte[] sheet(String rows, String sharedStrings) throws IOException {
        Map<String, String> parts = new java.util.HashMap<>(Map.of(
                "[Content_Types].xml", "<Types/>",
                "xl/workbook.xml", "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                        + "<sheets><sheet r:id=\"rId1\"/></sheets></workbook>",
                "xl/_rels/workbook.xml.rels", "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
                        + "</Relationships>",
                "xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + rows + "</sheetData></worksheet>"));
        if (sharedStrings != null) {
            parts.put("xl/sharedStrings.xml", sharedStrings);
        }
        return zip(parts);
    }

    private interface Sheet {
        void fill(Worksheet ws) throws IOException;
    }

    private interface More {
        void add(Workbook wb) throws IOException;
    }

    private static byte[] workbook(Sheet first, More more) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbook wb = new Workbook(out, "LGSP test", "1.0");
        first.fill(wb.newWorksheet("Danh sach"));
        more.add(wb);
        wb.finish();
        return out.toByteArray();
    }

    private static byte[] zip(Map<String, String> parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> p : parts.entrySet()) {
                zip.putNextEntry(new ZipEntry(p.getKey()));
                zip.write(p.getValue().getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
