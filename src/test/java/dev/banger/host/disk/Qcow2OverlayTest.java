package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Qcow2OverlayTest {
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;
    private static final int CLUSTER = 65536;
    private static final String BACKING = "/var/lib/banger/images/debian-12/rootfs.ext4";

    /** What a qcow2 reader finds in an image, decoded by the spec's offsets (docs/interop/qcow2.txt). */
    private record Decoded(int magic, int version, long backingOffset, int backingSize, int clusterBits, long size,
                           int cryptMethod, int l1Size, long l1Offset, long refcountTableOffset, int refcountTableClusters,
                           int snapshots, long snapshotsOffset, long incompatible, long compatible, long autoclear,
                           int refcountOrder, int headerLength, byte compressionType,
                           Map<Integer, byte[]> extensions, String backingFile) {}

    private static Decoded decode(byte[] image) {
        ByteBuffer in = ByteBuffer.wrap(image);
        int magic = in.getInt(0);
        int version = in.getInt(4);
        long backingOffset = in.getLong(8);
        int backingSize = in.getInt(16);
        int headerLength = in.getInt(100);
        Map<Integer, byte[]> extensions = new LinkedHashMap<>();
        int at = headerLength;
        while (true) {
            int type = in.getInt(at);
            int length = in.getInt(at + 4);
            if (type == 0) {
                assertThat(length).as("end-of-extensions length").isZero();
                break;
            }
            byte[] data = new byte[length];
            in.get(at + 8, data);
            assertThat(extensions.put(type, data)).as("extension %x appears once", type).isNull();
            at += 8 + (length + 7) / 8 * 8;
        }
        byte[] name = new byte[backingSize];
        in.get(Math.toIntExact(backingOffset), name);
        return new Decoded(magic, version, backingOffset, backingSize, in.getInt(20), in.getLong(24), in.getInt(32),
                in.getInt(36), in.getLong(40), in.getLong(48), in.getInt(56), in.getInt(60), in.getLong(64), in.getLong(72),
                in.getLong(80), in.getLong(88), in.getInt(96), headerLength, in.get(104), extensions,
                new String(name, StandardCharsets.UTF_8));
    }

    /** Refcount of every cluster the image's refcount structures describe, by walking table then block. */
    private static List<Integer> refcounts(byte[] image, Decoded header) {
        ByteBuffer in = ByteBuffer.wrap(image);
        int bitsPerRefcount = 1 << header.refcountOrder();
        assertThat(bitsPerRefcount).isEqualTo(16);
        List<Integer> counts = new ArrayList<>();
        for (int entry = 0; entry < header.refcountTableClusters() * CLUSTER / 8; entry++) {
            long block = in.getLong(Math.toIntExact(header.refcountTableOffset()) + entry * 8);
            if (block == 0) {
                continue;
            }
            assertThat(entry).as("only the first refcount block is needed").isZero();
            for (int cluster = 0; cluster < CLUSTER / 2; cluster++) {
                counts.add(Short.toUnsignedInt(in.getShort(Math.toIntExact(block) + cluster * 2)));
            }
        }
        return counts;
    }

    @ParameterizedTest
    @ValueSource(longs = {64 * MIB, 512 * MIB, 512 * MIB + 512, 2 * GIB, 8 * GIB, 3 * GIB + 512, 5 * TIB})
    void theHeaderDecodesToTheAskedSizeBackingFileAndFormat(long size) {
        byte[] image = Qcow2Overlay.image(BACKING, size);

        Decoded header = decode(image);
        long l1Size = (size + CLUSTER * 8192L - 1) / (CLUSTER * 8192L);
        assertThat(header.magic()).isEqualTo(0x514649fb);
        assertThat(header.version()).isEqualTo(3);
        assertThat(header.clusterBits()).isEqualTo(16);
        assertThat(header.size()).isEqualTo(size);
        assertThat(header.cryptMethod()).isZero();
        assertThat(header.l1Size()).isEqualTo(l1Size);
        assertThat(header.l1Offset() % CLUSTER).isZero();
        assertThat(header.refcountTableOffset() % CLUSTER).isZero();
        assertThat(header.refcountTableClusters()).isEqualTo(1);
        assertThat(header.snapshots()).isZero();
        assertThat(header.snapshotsOffset()).isZero();
        assertThat(List.of(header.incompatible(), header.compatible(), header.autoclear())).containsOnly(0L);
        assertThat(header.refcountOrder()).isEqualTo(4);
        assertThat(header.headerLength()).isEqualTo(112);
        assertThat(header.compressionType()).isZero();
        assertThat(header.backingFile()).isEqualTo(BACKING);
        assertThat(header.backingSize()).isEqualTo(BACKING.length());
        assertThat(new String(header.extensions().get(0xe2792aca), StandardCharsets.US_ASCII)).isEqualTo("raw");
        assertThat(image).hasSize(Math.toIntExact(header.l1Offset() + l1Size * 8));
        for (long entry = 0; entry < l1Size; entry++) {
            assertThat(ByteBuffer.wrap(image).getLong(Math.toIntExact(header.l1Offset() + entry * 8))).as("L1 entry %d", entry).isZero();
        }
    }

    @Test
    void theBackingFileNameFollowsTheExtensionsInsideTheFirstCluster() {
        Decoded header = decode(Qcow2Overlay.image(BACKING, GIB));

        int extensionBytes = header.extensions().values().stream().mapToInt(data -> 8 + (data.length + 7) / 8 * 8).sum();
        assertThat(header.backingOffset()).isEqualTo(header.headerLength() + extensionBytes + 8);
        assertThat(header.backingOffset() + header.backingSize()).isLessThan(CLUSTER);
    }

    @Test
    void theFeatureNameTableNamesEachKnownFeatureInFortyEightByteEntries() {
        byte[] table = decode(Qcow2Overlay.image(BACKING, GIB)).extensions().get(0x6803f857);

        assertThat(table.length % 48).isZero();
        List<String> names = new ArrayList<>();
        for (int at = 0; at < table.length; at += 48) {
            int end = at + 2;
            while (end < at + 48 && table[end] != 0) {
                end++;
            }
            names.add(table[at] + "/" + table[at + 1] + " " + new String(table, at + 2, end - at - 2, StandardCharsets.US_ASCII));
        }
        assertThat(names).contains("0/0 dirty bit", "0/1 corrupt bit", "1/0 lazy refcounts", "2/0 bitmaps");
    }

    @ParameterizedTest
    @ValueSource(longs = {512, 64 * MIB, 8 * GIB, 4 * TIB, 4 * TIB + 512, 5 * TIB, 1L << 51})
    void refcountsAreOneForExactlyTheClustersTheFileUses(long size) {
        byte[] image = Qcow2Overlay.image(BACKING, size);
        Decoded header = decode(image);

        List<Integer> counts = refcounts(image, header);

        int usedClusters = (image.length + CLUSTER - 1) / CLUSTER;
        assertThat(counts.subList(0, usedClusters)).containsOnly(1);
        assertThat(counts.subList(usedClusters, counts.size())).containsOnly(0);
        long l1End = header.l1Offset() + header.l1Size() * 8L;
        assertThat(l1End).isEqualTo(image.length);
        for (long metadata : List.of(0L, header.refcountTableOffset(), ByteBuffer.wrap(image).getLong(Math.toIntExact(header.refcountTableOffset())),
                header.l1Offset(), l1End - 1)) {
            assertThat(counts.get(Math.toIntExact(metadata / CLUSTER))).as("refcount of the cluster at %d", metadata).isEqualTo(1);
        }
    }

    @Test
    void aTableOfMoreThan8192EntriesSpansSeveralClusters() {
        Decoded header = decode(Qcow2Overlay.image(BACKING, 5 * TIB));

        assertThat(header.l1Size()).isEqualTo(10240);
        assertThat(Qcow2Overlay.l1Clusters(header.l1Size())).isEqualTo(2);
    }

    @Test
    void aSizeThatIsNotAMultipleOf512IsRoundedUpAsQemuImgDoes() {
        assertThat(decode(Qcow2Overlay.image(BACKING, 1)).size()).isEqualTo(512);
        assertThat(decode(Qcow2Overlay.image(BACKING, GIB + 1)).size()).isEqualTo(GIB + 512);
        assertThat(Qcow2Overlay.virtualSize(3 * KIB)).isEqualTo(3 * KIB);
    }

    @Test
    void aNonAsciiBackingNameIsRecordedAsUtf8Bytes() {
        String backing = "/srv/images/gr\u00fc\u00dfe, \u65e5\u672c/root fs.ext4";

        Decoded header = decode(Qcow2Overlay.image(backing, GIB));

        assertThat(header.backingFile()).isEqualTo(backing);
        assertThat(header.backingSize()).isEqualTo(backing.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(backing.length());
    }

    @Test
    void theLongestBackingNameQemuAcceptsFits() {
        String backing = "/" + "a".repeat(1022);

        assertThat(decode(Qcow2Overlay.image(backing, GIB)).backingFile()).isEqualTo(backing);
    }

    @Test
    void badBackingNamesAreRefusedWithTheReason() {
        assertInvalid(() -> Qcow2Overlay.image("images/rootfs.ext4", GIB), "must be an absolute path");
        assertInvalid(() -> Qcow2Overlay.image("", GIB), "must be an absolute path");
        assertInvalid(() -> Qcow2Overlay.image(null, GIB), "must be an absolute path");
        assertInvalid(() -> Qcow2Overlay.image("/images/root\0.ext4", GIB), "NUL");
        assertInvalid(() -> Qcow2Overlay.image("/" + "a".repeat(1023), GIB), "at most 1023 bytes");
        // 1023 characters, but the last one takes two bytes in UTF-8.
        assertInvalid(() -> Qcow2Overlay.image("/" + "a".repeat(1021) + "\u00e9", GIB), "is 1024");
    }

    @Test
    void sizesThatAreNotPositiveOrBeyondTwoPebibytesAreRefused() {
        assertInvalid(() -> Qcow2Overlay.image(BACKING, 0), "positive virtual size");
        assertInvalid(() -> Qcow2Overlay.image(BACKING, -512), "positive virtual size");
        assertInvalid(() -> Qcow2Overlay.image(BACKING, (1L << 51) + 1), "at most 2251799813685248 bytes");
        assertInvalid(() -> Qcow2Overlay.image(BACKING, Long.MAX_VALUE), "at most");
        assertThat(Qcow2Overlay.virtualSize(1L << 51)).isEqualTo(1L << 51);
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String words) {
        assertThatThrownBy(call)
                .isInstanceOf(DiskException.class)
                .hasMessageContaining(words)
                .satisfies(e -> assertThat(((DiskException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }
}
