package vn.lgsp.routing.exchange.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/** Reading a ZIP by its central directory: stored and deflated entries, a comment, damage, and the inflation budget. */
class ZipArchiveTest {

    @Test
    void storedAndDeflatedEntriesBehindAComment() throws IOException {
        byte[] text = "xin chào ".repeat(1000).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setComment("tạo bởi một công cụ khác");
            zip.putNextEntry(new ZipEntry("a/deflated.txt"));
            zip.write(text);
            ZipEntry stored = new ZipEntry("b/stored.txt");
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(text.length);
            CRC32 crc = new CRC32();
            crc.update(text);
            stored.setCrc(crc.getValue());
            zip.putNextEntry(stored);
            zip.write(text);
        }
        ZipArchive archive = ZipArchive.of(out.toByteArray());
        assertEquals(List.of("a/deflated.txt", "b/stored.txt"), List.copyOf(archive.entries().keySet()));
        long[] budget = { 1 << 20 };
        for (ZipArchive.Entry e : archive.entries().values()) {
            assertArrayEquals(text, archive.read(e, budget, 1 << 20), e.name());
        }
        assertEquals((1 << 20) - 2L * text.length, budget[0], "both entries counted against the budget");

        long[] small = { 100 };
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> archive.read(archive.entries().get("a/deflated.txt"), small, 100)).getMessage().contains("inflates"));
    }

    @Test
    void whatIsNoArchiveOrADamagedOneIsRefused() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> ZipArchive.of("không phải zip".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> ZipArchive.of(new byte[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("x.txt"));
            zip.write(new byte[5000]);
        }
        byte[] whole = out.toByteArray();
        // the directory kept, the entry's data cut short
        byte[] damaged = whole.clone();
        Arrays.fill(damaged, 30 + 5, 30 + 5 + 10, (byte) 0xFF);
        ZipArchive archive = ZipArchive.of(damaged);
        assertThrows(IllegalArgumentException.class,
                () -> archive.read(archive.entries().get("x.txt"), new long[] { 1 << 20 }, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> ZipArchive.of(Arrays.copyOf(whole, whole.length - 30)));
    }

    @Test
    void aDirectoryPointingOutsideTheArchiveOrNamingAnEntryTwiceIsRefused() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("a.xml"));
            zip.write("<a/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("b.xml"));
            zip.write("<b/>".getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = out.toByteArray();
        int central = indexOf(whole, new byte[] { 0x50, 0x4b, 0x01, 0x02 }, 0);
        int second = indexOf(whole, new byte[] { 0x50, 0x4b, 0x01, 0x02 }, central + 4);

        // the second entry's name rewritten to the first's: two parts of one name
        byte[] twice = whole.clone();
        twice[second + 46] = 'a';
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ZipArchive.of(twice)).getMessage().contains("twice"));

        // a compressed size of 0xFFFFFFFF (no ZIP64 field): far beyond the archive, refused before any allocation
        byte[] huge = whole.clone();
        Arrays.fill(huge, central + 20, central + 24, (byte) 0xFF);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ZipArchive.of(huge)).getMessage()
                .contains("outside the archive"));

        // a local header offset beyond the end
        byte[] away = whole.clone();
        away[central + 45] = 0x7F;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ZipArchive.of(away)).getMessage()
                .contains("outside the archive"));
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        for (int i = from; i <= data.length - what.length; i++) {
            if (Arrays.equals(data, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
