package vn.lgsp.routing.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.exchange.service.ContentAnalyser;

/** X5 step 5: what the platform accepts as each data type, and which formats it offers to deliver it in. */
class ContentAnalyserTest {

    @Test
    void jsonObjectsAreOfferedAsXmlToo_otherJsonOnlyAsJson() {
        assertEquals(List.of("json", "xml"), analyse("json", "{\"a\":{\"b\":[1,2]}}"));
        assertEquals(List.of("json", "csv"), analyse("json", "[{\"a\":1}]"), "an array of records is a table: CSV, not XML");
        assertEquals(List.of("json"), analyse("json", "[{\"a\":{\"b\":1}}]"), "nested values are no table");
        assertEquals(List.of("json"), analyse("json", "[1,2]"));
        assertEquals(List.of("json"), analyse("json", "[]"));
        assertEquals(List.of("json"), analyse("json", "{\"1 not a name\":1}"), "field names that are no XML names");
        assertTrue(refusal("json", "{\"a\":1} {\"b\":2}").contains("more than one value"));
        assertTrue(refusal("json", "{\"a\":\n\n  tru}").contains("line 3"));
    }

    @Test
    void xmlMustBeWellFormedWithoutDtd() {
        assertEquals(List.of("xml", "json"), analyse("xml", "<a><b>1</b><b>2</b></a>"));
        assertTrue(refusal("xml", "<a><b></a>").contains("not well-formed XML"));
        assertTrue(refusal("xml", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>").contains("without DTD"));
    }

    @Test
    void csvIsRectangularUtf8WithRfc4180Quoting() {
        assertEquals(List.of("csv", "json", "xml"), analyse("csv", "ma,ten\r\n1,\"a, \"\"b\"\"\"\r\n2,\"dòng\nhai\"\r\n"));
        assertEquals(List.of("csv", "json", "xml"), analyse("csv", "ma,ten\n1,x"), "the last record needs no line break");
        assertEquals(List.of("csv", "json"), analyse("csv", "mã số,tên\n1,x"), "a column name with a space is no XML name");
        assertEquals(List.of("csv"), analyse("csv", "ma,ma\n1,x"), "columns named twice make no JSON object");
        assertEquals(List.of("csv"), analyse("csv", "ma,\n1,x"), "an unnamed column makes no JSON object");
        assertTrue(refusal("csv", "ma,ten\n1,x,y\n").contains("line 2 has 3 fields where the first has 2"));
        assertTrue(refusal("csv", "ma,ten\n1,\"x\n").contains("ends inside a quoted field"));
        assertTrue(refusal("csv", "ma,ten\n1,x\"y\n").contains("quote inside an unquoted field"));
        assertTrue(refusal("csv", "ma,ten\n1,\"x\"y\n").contains("after a closing quote"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ContentAnalyser.analyse("csv",
                new byte[] { 'a', ',', (byte) 0xC3, '\n' })).getMessage().contains("not UTF-8"));
    }

    @Test
    void xlsxIsAZipWithTheWorkbookParts() throws IOException {
        assertEquals(List.of("xlsx"), ContentAnalyser.analyse("xlsx", zip("[Content_Types].xml", "xl/workbook.xml",
                "xl/worksheets/sheet1.xml")));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ContentAnalyser.analyse("xlsx",
                zip("[Content_Types].xml", "word/document.xml"))).getMessage().contains("xl/workbook.xml"));
        assertTrue(refusal("xlsx", "not a zip").contains("not"));
    }

    @Test
    void emptyContentIsRefusedAndMediaTypesMapToDataTypes() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ContentAnalyser.analyse("json", new byte[0]))
                .getMessage().contains("empty"));
        assertEquals("json", ContentAnalyser.dataTypeOf("application/json; charset=utf-8"));
        assertEquals("xml", ContentAnalyser.dataTypeOf("text/xml"));
        assertEquals("csv", ContentAnalyser.dataTypeOf("text/csv;charset=UTF-8"));
        assertEquals("xlsx", ContentAnalyser.dataTypeOf("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        assertEquals(null, ContentAnalyser.dataTypeOf("application/pdf"));
    }

    private static List<String> analyse(String type, String content) {
        return ContentAnalyser.analyse(type, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String refusal(String type, String content) {
        return assertThrows(IllegalArgumentException.class, () -> analyse(type, content)).getMessage();
    }

    private static byte[] zip(String... names) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String n : names) {
                zip.putNextEntry(new ZipEntry(n));
                zip.write("<x/>".getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }
}
