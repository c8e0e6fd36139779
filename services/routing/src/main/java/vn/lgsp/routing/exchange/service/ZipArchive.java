package vn.lgsp.routing.exchange.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A ZIP archive held in memory, read by its central directory (APPNOTE 4.3.12–4.3.16, with ZIP64), as a workbook
 * must be: streaming writers (fastexcel's, for one, which audit's reports use) put sizes only in data descriptors
 * and the central directory, which {@code java.util.zip.ZipInputStream} misreads. Entries are stored or deflated;
 * inflating stops at a byte budget, so a ZIP bomb costs a refusal.
 */
final class ZipArchive {

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    /** One entry as the central directory describes it. */
    record Entry(String name, int method, long compressedSize, long size, long localOffset) {
    }

    /** Thrown when an entry would inflate beyond the budget given. */
    static final class TooLarge extends IllegalArgumentException {
        TooLarge(long limit) {
            super("the archive inflates to more than " + (limit >> 20) + " MiB");
        }
    }

    private final ByteBuffer data;
    private final Map<String, Entry> entries;

    private ZipArchive(byte[] content) {
        this.data = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        this.entries = readDirectory();
    }

    /** Throws {@link IllegalArgumentException} when the content is not a ZIP archive this reads. */
    static ZipArchive of(byte[] content) {
        try {
            return new ZipArchive(content);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("the ZIP archive is truncated");
        }
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** An entry's bytes; {@code budget[0]} (bytes still allowed) is lowered by what is inflated. */
    byte[] read(Entry e, long[] budget, long limit) {
        try {
            int at = (int) e.localOffset();
            if (data.getInt(at) != LOCAL) {
                throw new IllegalArgumentException("the ZIP entry " + e.name() + " has no local header");
            }
            int start = at + 30 + Short.toUnsignedInt(data.getShort(at + 26)) + Short.toUnsignedInt(data.getShort(at + 28));
            if (start < 0 || e.compressedSize() > data.capacity() - start) {
                throw new IllegalArgumentException("the ZIP entry " + e.name() + " is truncated");
            }
            int length = (int) e.compressedSize();
            if (e.method() == 0) {
                spend(budget, length, limit);
                byte[] out = new byte[length];
                data.get(start, out);
                return out;
            }
            if (e.method() != 8) {
                throw new IllegalArgumentException("the ZIP entry " + e.name() + " uses compression method " + e.method());
            }
            Inflater inflater = new Inflater(true);
            try {
                inflater.setInput(data.array(), start, length);
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[16384];
                while (!inflater.finished()) {
                    int n = inflater.inflate(buf);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new IllegalArgumentException("the ZIP entry " + e.name() + " is truncated");
                    }
                    spend(budget, n, limit);
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            } finally {
                inflater.end();
            }
        } catch (DataFormatException ex) {
            throw new IllegalArgumentException("the ZIP entry " + e.name() + " is not valid deflate data");
        } catch (IndexOutOfBoundsException ex) {
            throw new IllegalArgumentException("the ZIP archive is truncated");
        }
    }

    private static void spend(long[] budget, long n, long limit) {
        budget[0] -= n;
        if (budget[0] < 0) {
            throw new TooLarge(limit);
        }
    }

    private Map<String, Entry> readDirectory() {
        int end = findEnd();
        long count = Short.toUnsignedInt(data.getShort(end + 10));
        long offset = Integer.toUnsignedLong(data.getInt(end + 16));
        if ((count == 0xFFFF || offset == 0xFFFFFFFFL) && end >= 20 && data.getInt(end - 20) == ZIP64_LOCATOR) {
            long z64 = data.getLong(end - 20 + 8);
            if (z64 < 0 || z64 > data.capacity() - 56L) {
                throw new IllegalArgumentException("the ZIP64 end of central directory points outside the archive");
            }
            int z = (int) z64;
            if (data.getInt(z) != ZIP64_EOCD) {
                throw new IllegalArgumentException("the ZIP64 end of central directory is missing");
            }
            count = data.getLong(z + 32);
            offset = data.getLong(z + 48);
        }
        if (offset < 0 || offset > data.capacity() || count < 0 || count > data.capacity() / 46) {
            throw new IllegalArgumentException("the ZIP central directory points outside the archive");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        int at = (int) offset;
        for (long i = 0; i < count; i++) {
            if (data.getInt(at) != CENTRAL) {
                throw new IllegalArgumentException("the ZIP central directory is damaged");
            }
            int method = Short.toUnsignedInt(data.getShort(at + 10));
            long compressed = Integer.toUnsignedLong(data.getInt(at + 20));
            long size = Integer.toUnsignedLong(data.getInt(at + 24));
            int nameLength = Short.toUnsignedInt(data.getShort(at + 28));
            int extraLength = Short.toUnsignedInt(data.getShort(at + 30));
            int commentLength = Short.toUnsignedInt(data.getShort(at + 32));
            long local = Integer.toUnsignedLong(data.getInt(at + 42));
            byte[] name = new byte[nameLength];
            data.get(at + 46, name);
            // ZIP64 extended information (header 0x0001): the 8-byte values of the fields set to 0xFFFFFFFF, in order
            int x = at + 46 + nameLength;
            int xEnd = x + extraLength;
            while (x + 4 <= xEnd) {
                int id = Short.toUnsignedInt(data.getShort(x));
                int len = Short.toUnsignedInt(data.getShort(x + 2));
                if (id == 1) {
                    int p = x + 4;
                    if (size == 0xFFFFFFFFL) {
                        size = data.getLong(p);
                        p += 8;
                    }
                    if (compressed == 0xFFFFFFFFL) {
                        compressed = data.getLong(p);
                        p += 8;
                    }
                    if (local == 0xFFFFFFFFL) {
                        local = data.getLong(p);
                    }
                }
                x += 4 + len;
            }
            String n = new String(name, StandardCharsets.UTF_8);
            // Sizes and offsets beyond this archive (a ZIP64 value wrapping when cast, a negative one) are damage;
            // a name twice would let this reader and a spreadsheet program see different parts.
            if (compressed < 0 || compressed > data.capacity() || size < 0 || local < 0 || local > data.capacity() - 30L) {
                throw new IllegalArgumentException("the ZIP entry " + n + " points outside the archive");
            }
            if (out.put(n, new Entry(n, method, compressed, size, local)) != null) {
                throw new IllegalArgumentException("the ZIP archive holds " + n + " twice");
            }
            at += 46 + nameLength + extraLength + commentLength;
        }
        return out;
    }

    /** The end of central directory record: the last one, within the 64 KiB a comment may take. */
    private int findEnd() {
        int last = data.capacity() - 22;
        for (int i = last; i >= 0 && i >= last - 65535; i--) {
            if (data.getInt(i) == EOCD) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a ZIP archive (no end of central directory)");
    }
}
