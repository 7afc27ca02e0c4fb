package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class BzImageTest {
    /** A setup header as the boot protocol lays it out: setup_sects, "HdrS", version, payload fields. */
    private static byte[] header(int setupSects, int version, int payloadOffset, int payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(BzImage.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) setupSects);
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) version);
        b.putInt(0x248, payloadOffset);
        b.putInt(0x24c, payloadLength);
        return b.array();
    }

    @Test
    void payloadOffsetCountsFromTheProtectedModeCodeAfterTheSetupSectors() {
        BzImage.Payload payload = BzImage.payload(header(39, 0x020f, 716, 14063308), 14186432);

        assertThat(payload.offset()).isEqualTo(40 * 512 + 716);
        assertThat(payload.length()).isEqualTo(14063308);
    }

    @Test
    void zeroSetupSectorsMeansFour() {
        assertThat(BzImage.payload(header(0, 0x020f, 100, 10), 10_000).offset()).isEqualTo(5 * 512 + 100);
    }

    @Test
    void notABzImageOrTooOldOrTruncatedIsRejected() {
        byte[] noMagic = header(39, 0x020f, 716, 100);
        noMagic[0x202] = 0;
        assertThatThrownBy(() -> BzImage.payload(noMagic, 100_000)).hasMessageContaining("HdrS");
        assertThatThrownBy(() -> BzImage.payload(header(39, 0x0206, 716, 100), 100_000)).hasMessageContaining("2.08");
        assertThatThrownBy(() -> BzImage.payload(header(39, 0x020f, 716, 100_000), 100_000)).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> BzImage.payload(new byte[16], 100_000)).hasMessageContaining("too short");
    }

    @Test
    void compressionIsToldByMagic() {
        assertThat(BzImage.compression(new byte[] {0x02, 0x21, 0x4c, 0x18, 0})).isEqualTo(BzImage.Compression.LZ4_LEGACY);
        assertThat(BzImage.compression(new byte[] {0x1f, (byte) 0x8b, 8})).isEqualTo(BzImage.Compression.GZIP);
        assertThat(BzImage.compression(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd})).isEqualTo(BzImage.Compression.ZSTD);
        assertThat(BzImage.compression(new byte[] {1, 2, 3, 4})).isEqualTo(BzImage.Compression.UNKNOWN);
        assertThat(BzImage.isElf(new byte[] {0x7f, 'E', 'L', 'F'})).isTrue();
    }
}
