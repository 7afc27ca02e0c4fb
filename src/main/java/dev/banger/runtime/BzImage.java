package dev.banger.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the x86 boot protocol setup header of a bzImage to find its compressed kernel payload.
 * {@code payload_offset} (0x248) is relative to the protected-mode code, which starts after the
 * {@code setup_sects + 1} 512-byte sectors of real-mode setup. Pure functions on bytes; thread-safe.
 */
public final class BzImage {
    static final int SETUP_SECTS = 0x1f1;
    static final int HEADER_MAGIC = 0x202;
    static final int VERSION = 0x206;
    static final int PAYLOAD_OFFSET = 0x248;
    static final int PAYLOAD_LENGTH = 0x24c;
    /** Enough of the file to read every field above. */
    public static final int HEADER_BYTES = 0x250;

    private BzImage() {}

    /** How the payload is compressed, told by its leading magic bytes. */
    public enum Compression {
        LZ4_LEGACY, GZIP, XZ, ZSTD, LZMA, BZIP2, LZO, UNKNOWN
    }

    /**
     * The payload's place in the file.
     *
     * @param offset absolute file offset of the payload
     * @param length payload length as the header declares it (for lz4, gzip and others the kernel build
     *               appends a 4-byte little-endian uncompressed size, included here)
     */
    public record Payload(long offset, long length) {}

    /**
     * Locates the payload from the first {@link #HEADER_BYTES} bytes of a bzImage.
     *
     * @throws IllegalArgumentException when the bytes are not a bzImage of boot protocol ≥ 2.08
     */
    public static Payload payload(byte[] header, long fileSize) {
        if (header.length < HEADER_BYTES) {
            throw new IllegalArgumentException("too short for a bzImage setup header: " + header.length + " bytes");
        }
        ByteBuffer le = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        if (le.getInt(HEADER_MAGIC) != 0x53726448) { // "HdrS"
            throw new IllegalArgumentException("not a bzImage: no 'HdrS' setup header magic at 0x202");
        }
        int version = Short.toUnsignedInt(le.getShort(VERSION));
        if (version < 0x0208) {
            throw new IllegalArgumentException(String.format(
                    "bzImage boot protocol %d.%02d has no payload fields (needs 2.08+)", version >> 8, version & 0xff));
        }
        int setupSects = Byte.toUnsignedInt(header[SETUP_SECTS]);
        if (setupSects == 0) {
            setupSects = 4; // the boot protocol's historical default
        }
        long protectedModeStart = (setupSects + 1L) * 512L;
        long offset = protectedModeStart + Integer.toUnsignedLong(le.getInt(PAYLOAD_OFFSET));
        long length = Integer.toUnsignedLong(le.getInt(PAYLOAD_LENGTH));
        if (length == 0 || offset + length > fileSize) {
            throw new IllegalArgumentException("bzImage payload (offset " + offset + ", length " + length
                    + ") does not fit in the file of " + fileSize + " bytes");
        }
        return new Payload(offset, length);
    }

    public static Compression compression(byte[] payloadStart) {
        if (startsWith(payloadStart, 0x02, 0x21, 0x4c, 0x18)) {
            return Compression.LZ4_LEGACY;
        }
        if (startsWith(payloadStart, 0x1f, 0x8b)) {
            return Compression.GZIP;
        }
        if (startsWith(payloadStart, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return Compression.XZ;
        }
        if (startsWith(payloadStart, 0x28, 0xb5, 0x2f, 0xfd)) {
            return Compression.ZSTD;
        }
        if (startsWith(payloadStart, 0x5d, 0x00, 0x00)) {
            return Compression.LZMA;
        }
        if (startsWith(payloadStart, 'B', 'Z', 'h')) {
            return Compression.BZIP2;
        }
        if (startsWith(payloadStart, 0x89, 'L', 'Z', 'O')) {
            return Compression.LZO;
        }
        return Compression.UNKNOWN;
    }

    /** The 4-byte little-endian uncompressed size the kernel build appends to the payload. */
    public static long appendedSize(byte[] payloadEnd) {
        if (payloadEnd.length < 4) {
            throw new IllegalArgumentException("need the payload's last 4 bytes");
        }
        return Integer.toUnsignedLong(ByteBuffer.wrap(payloadEnd, payloadEnd.length - 4, 4)
                .order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    public static boolean isElf(byte[] start) {
        return startsWith(start, 0x7f, 'E', 'L', 'F');
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (Byte.toUnsignedInt(bytes[i]) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
