package vn.lgsp.audit.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The files agencies open in a spreadsheet (reconciliation, evaluation results): RFC 4180 CSV lines and XLSX sheets,
 * cells a spreadsheet would read as a formula neutralised in both.
 */
public final class Tables {

    private Tables() {
    }

    /** One sheet: a name, a header row and rows of String or Number cells. */
    public record Sheet(String name, List<String> header, List<List<Object>> rows) {
    }

    /** One CSV line (no line ending): numbers as they print, text neutralised and quoted when needed. */
    public static String csvLine(List<?> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = cells.get(i);
            if (v instanceof Number) {
                sb.append(v);
            } else {
                String s = neutralise(v == null ? "" : v.toString());
                if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
                    sb.append('"').append(s.replace("\"", "\"\"")).append('"');
                } else {
                    sb.append(s);
                }
            }
        }
        return sb.toString();
    }

    /** A workbook with the given sheets, in order. */
    public static byte[] xlsx(String application, List<Sheet> sheets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Workbook wb = new Workbook(out, application, "1.0");
            for (Sheet sheet : sheets) {
                Worksheet ws = wb.newWorksheet(sheet.name());
                int row = 0;
                if (sheet.header() != null) {
                    for (int c = 0; c < sheet.header().size(); c++) {
                        ws.value(row, c, sheet.header().get(c));
                    }
                    row++;
                }
                for (List<Object> cells : sheet.rows()) {
                    for (int c = 0; c < cells.size(); c++) {
                        Object v = cells.get(c);
                        if (v instanceof Number n) {
                            ws.value(row, c, n);
                        } else if (v != null) {
                            ws.value(row, c, neutralise(v.toString()));
                        }
                    }
                    row++;
                }
            }
            wb.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** OWASP CSV injection: a cell a spreadsheet would read as a formula gets a leading apostrophe. */
    public static String neutralise(String s) {
        if (s == null || s.isEmpty()) {
            return s == null ? "" : s;
        }
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
    }
}
