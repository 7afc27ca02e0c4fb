package dev.banger.host.disk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Plans the bytes of a fresh qcow2 overlay on a raw backing file, exactly as
 * {@code qemu-img create -f qcow2 -F raw -b BACKING FILE SIZE} (QEMU 7.2, default options) writes
 * them, so a VM create need not spawn qemu-img. Pure and stateless: it only computes bytes.
 *
 * <p>Hand-written because no maintained Java library on Maven Central writes qcow2 images. The
 * format is QEMU's {@code docs/interop/qcow2.txt}: a version-3 header with 64 KiB clusters and
 * 16-bit refcounts, the header extensions qemu-img writes (backing file format, then the feature
 * name table), the backing file name, then one cluster each of refcount table and refcount block,
 * then an all-zero L1 table that ends the file. Clusters 0 to 3 + L1 clusters - 1 are in use, each
 * with refcount 1. Like qemu-img, the virtual size is rounded up to a multiple of 512 and may not
 * exceed 2 PiB, where the L1 table reaches QEMU's 32 MiB limit.
 */
final class Qcow2Overlay {
    static final int MAGIC = 0x514649fb;
    static final int VERSION = 3;
    static final int CLUSTER_BITS = 16;
    static final int CLUSTER_SIZE = 1 << CLUSTER_BITS;
    static final int HEADER_LENGTH = 112;
    static final int REFCOUNT_ORDER = 4;
    static final int BACKING_FORMAT_EXTENSION = 0xe2792aca;
    static final int FEATURE_NAME_TABLE_EXTENSION = 0x6803f857;
    static final String BACKING_FORMAT = "raw";
    /** Byte offset of the virtual size in a qcow2 header. */
    static final int SIZE_OFFSET = 24;
    static final long REFCOUNT_TABLE_OFFSET = CLUSTER_SIZE;
    static final long REFCOUNT_BLOCK_OFFSET = 2L * CLUSTER_SIZE;
    static final long L1_TABLE_OFFSET = 3L * CLUSTER_SIZE;
    /** Bytes of guest disk one L1 entry maps: one L2 table of 8192 entries, each one cluster. */
    static final long BYTES_PER_L1_ENTRY = (long) CLUSTER_SIZE * (CLUSTER_SIZE / Long.BYTES);
    /** QEMU's QCOW_MAX_L1_SIZE is 32 MiB of entries; qemu-img refuses anything larger. */
    static final long MAX_VIRTUAL_SIZE = (32L << 20) / Long.BYTES * BYTES_PER_L1_ENTRY;
    /** QEMU refuses to open an image whose backing_file_size exceeds 1023. */
    static final int MAX_BACKING_FILE_BYTES = 1023;
    static final int SECTOR = 512;

    /** QEMU 7.2's feature name table, in the order qemu-img writes it: type (0 incompatible, 1 compatible, 2 autoclear), bit, name. */
    private static final List<Feature> FEATURES = List.of(
            new Feature(0, 0, "dirty bit"),
            new Feature(0, 1, "corrupt bit"),
            new Feature(0, 2, "external data file"),
            new Feature(0, 3, "compression type"),
            new Feature(0, 4, "extended L2 entries"),
            new Feature(1, 0, "lazy refcounts"),
            new Feature(2, 0, "bitmaps"),
            new Feature(2, 1, "raw external data"));
    private static final int FEATURE_ENTRY_BYTES = 48;

    private record Feature(int type, int bit, String name) {}

    private Qcow2Overlay() {}

    /**
     * The virtual size qemu-img gives an overlay asked to be {@code requestedBytes}: rounded up to
     * a multiple of 512.
     *
     * @throws DiskException when the size is not positive or exceeds {@link #MAX_VIRTUAL_SIZE}
     */
    static long virtualSize(long requestedBytes) {
        if (requestedBytes <= 0) {
            throw DiskException.invalid("a qcow2 overlay needs a positive virtual size, got " + requestedBytes
                    + " bytes; pass the backing file's size when no size was asked for");
        }
        if (requestedBytes > MAX_VIRTUAL_SIZE) {
            throw DiskException.invalid("a qcow2 overlay with 64 KiB clusters can be at most " + MAX_VIRTUAL_SIZE
                    + " bytes (2 PiB), asked for " + requestedBytes);
        }
        // MAX_VIRTUAL_SIZE is a multiple of 512, so rounding up cannot pass it.
        return (requestedBytes + SECTOR - 1) / SECTOR * SECTOR;
    }

    /** Entries in the L1 table of an image of {@code virtualSize} bytes: one per 512 MiB, rounded up. */
    static int l1Entries(long virtualSize) {
        return Math.toIntExact((virtualSize + BYTES_PER_L1_ENTRY - 1) / BYTES_PER_L1_ENTRY);
    }

    /** Clusters the L1 table spans, rounded up. */
    static int l1Clusters(int l1Entries) {
        return (l1Entries * Long.BYTES + CLUSTER_SIZE - 1) / CLUSTER_SIZE;
    }

    /**
     * The whole overlay file: its length is the end of the L1 table.
     *
     * @param backingFile     the raw backing file as it is to be recorded: absolute, at most 1023
     *                        bytes in UTF-8, no NUL
     * @param requestedBytes  the virtual size, rounded up to 512 as by {@link #virtualSize}
     * @throws DiskException  on a relative, empty, too long or NUL-containing backing name, or a bad size
     */
    static byte[] image(String backingFile, long requestedBytes) {
        return image(backingFile, DiskFormat.RAW, requestedBytes);
    }

    /**
     * The same, on a backing file laid out as {@code backingFormat}: a restored VM's overlay sits on
     * a golden snapshot's frozen qcow2 overlay, as {@code qemu-img create -F qcow2} would record it.
     */
    static byte[] image(String backingFile, DiskFormat backingFormat, long requestedBytes) {
        byte[] backing = backingName(backingFile);
        long size = virtualSize(requestedBytes);
        int l1Entries = l1Entries(size);
        int usedClusters = 3 + l1Clusters(l1Entries);
        long length = L1_TABLE_OFFSET + (long) l1Entries * Long.BYTES;
        // At most 3 + 512 clusters: one refcount block (32768 entries) always covers them.
        ByteBuffer file = ByteBuffer.allocate(Math.toIntExact(length));

        ByteBuffer extensions = extensions(backingFormat.name().toLowerCase(java.util.Locale.ROOT));
        int backingOffset = HEADER_LENGTH + extensions.remaining();
        file.putInt(MAGIC)
                .putInt(VERSION)
                .putLong(backingOffset)
                .putInt(backing.length)
                .putInt(CLUSTER_BITS)
                .putLong(size)
                .putInt(0) // crypt_method: none
                .putInt(l1Entries)
                .putLong(L1_TABLE_OFFSET)
                .putLong(REFCOUNT_TABLE_OFFSET)
                .putInt(1) // refcount_table_clusters
                .putInt(0) // nb_snapshots
                .putLong(0) // snapshots_offset
                .putLong(0) // incompatible features
                .putLong(0) // compatible features
                .putLong(0) // autoclear features
                .putInt(REFCOUNT_ORDER)
                .putInt(HEADER_LENGTH);
        // Byte 104 is the compression type (0, zlib), then padding to 112: already zero.
        file.position(HEADER_LENGTH).put(extensions).put(backing);

        file.putLong(Math.toIntExact(REFCOUNT_TABLE_OFFSET), REFCOUNT_BLOCK_OFFSET);
        for (int cluster = 0; cluster < usedClusters; cluster++) {
            file.putShort(Math.toIntExact(REFCOUNT_BLOCK_OFFSET) + cluster * Short.BYTES, (short) 1);
        }
        return file.array();
    }

    /** The virtual size a qcow2 file's header records. */
    static long virtualSizeOf(java.nio.file.Path qcow2) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(qcow2)) {
            ByteBuffer header = ByteBuffer.allocate(SIZE_OFFSET + Long.BYTES);
            int read = 0;
            while (header.hasRemaining() && read >= 0) {
                read = channel.read(header);
            }
            if (header.hasRemaining() || header.getInt(0) != MAGIC) {
                throw DiskException.invalid(qcow2 + " is not a qcow2 file");
            }
            return header.getLong(SIZE_OFFSET);
        } catch (java.io.IOException e) {
            throw DiskException.failed("cannot read the qcow2 header of " + qcow2, e);
        }
    }

    private static byte[] backingName(String backingFile) {
        if (backingFile == null || !backingFile.startsWith("/")) {
            throw DiskException.invalid("the backing file of a qcow2 overlay must be an absolute path, got " + backingFile);
        }
        if (backingFile.indexOf('\0') >= 0) {
            throw DiskException.invalid("the backing file of a qcow2 overlay cannot contain a NUL character: " + backingFile);
        }
        byte[] name = backingFile.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_BACKING_FILE_BYTES) {
            throw DiskException.invalid("the backing file name of a qcow2 overlay can be at most " + MAX_BACKING_FILE_BYTES
                    + " bytes, " + backingFile + " is " + name.length + "; move the image to a shorter path");
        }
        return name;
    }

    /** Backing file format, feature name table, end marker; each extension's data padded to 8 bytes. */
    private static ByteBuffer extensions(String backingFormat) {
        byte[] format = backingFormat.getBytes(StandardCharsets.US_ASCII);
        int featureBytes = FEATURES.size() * FEATURE_ENTRY_BYTES;
        ByteBuffer out = ByteBuffer.allocate(8 + padded(format.length) + 8 + padded(featureBytes) + 8);
        out.putInt(BACKING_FORMAT_EXTENSION).putInt(format.length).put(format);
        out.position(out.position() + padded(format.length) - format.length);
        out.putInt(FEATURE_NAME_TABLE_EXTENSION).putInt(featureBytes);
        for (Feature feature : FEATURES) {
            int start = out.position();
            out.put((byte) feature.type()).put((byte) feature.bit()).put(feature.name().getBytes(StandardCharsets.US_ASCII));
            out.position(start + FEATURE_ENTRY_BYTES);
        }
        out.position(out.position() + padded(featureBytes) - featureBytes);
        out.putInt(0).putInt(0);
        return out.flip();
    }

    private static int padded(int bytes) {
        return (bytes + 7) & ~7;
    }
}
