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
}
