package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class Ext4SuperblockTest {
    /** The head of real `LC_ALL=C TZ=UTC dumpe2fs -h` output (e2fsprogs 1.47.0) for a fresh 64 MiB image. */
    static String header(String state, String lastMount, String lastChecked) {
        return """
                Filesystem volume name:   <none>
                Last mounted on:          <not available>
                Filesystem UUID:          619c9dd4-2cd4-4ef8-ae55-1281f1490ef9
                Filesystem magic number:  0xEF53
                Filesystem features:      has_journal ext_attr resize_inode dir_index filetype extent 64bit
                Filesystem state:         %s
                Errors behavior:          Continue
                Inode count:              16384
                Block count:              65536
                Reserved block count:     3276
                Free blocks:              56021
                First block:              1
                Block size:               1024
                Fragment size:            1024
                Filesystem created:       Wed Dec  2 01:59:28 2026
                Last mount time:          %s
                Last write time:          Wed Dec  2 01:59:28 2026
                Mount count:              0
                Last checked:             %s
                Inode size:	          256
                Journal features:         (none)
                """.formatted(state, lastMount, lastChecked);
    }

    @Test
    void aFreshImageGivesItsGeometryAndNeedsNoCheck() {
        Ext4Superblock sb = Ext4Superblock.parse(header("clean", "n/a", "Wed Dec  2 01:59:28 2026"));

        assertThat(sb.blockCount()).isEqualTo(65536);
        assertThat(sb.blockSize()).isEqualTo(1024);
        assertThat(sb.sizeBytes()).isEqualTo(64L << 20);
        assertThat(sb.lastMount()).isEmpty();
        assertThat(sb.lastChecked()).contains(Instant.parse("2026-12-02T01:59:28Z"));
        assertThat(sb.needsCheckBeforeResize()).isFalse();
    }

    @Test
    void anImageMountedAfterItsLastCheckNeedsACheckAsResize2fsDemands() {
        Ext4Superblock sb = Ext4Superblock.parse(header("clean", "Wed Dec  2 01:59:30 2026", "Wed Dec  2 01:59:28 2026"));

        assertThat(sb.needsCheckBeforeResize()).isTrue();
    }

    @Test
    void anImageCheckedAfterItsLastMountNeedsNoCheck() {
        Ext4Superblock sb = Ext4Superblock.parse(header("clean", "Tue Dec  1 10:00:00 2026", "Sat Dec 12 09:00:00 2026"));

        assertThat(sb.needsCheckBeforeResize()).isFalse();
    }

    @Test
    void anUncleanImageNeedsACheck() {
        assertThat(Ext4Superblock.parse(header("not clean", "n/a", "Wed Dec  2 01:59:28 2026")).needsCheckBeforeResize()).isTrue();
        assertThat(Ext4Superblock.parse(header("clean with errors", "n/a", "Wed Dec  2 01:59:28 2026")).needsCheckBeforeResize()).isTrue();
    }

    @Test
    void outputWithoutABlockCountIsNotAnExtFileSystem() {
        assertThatThrownBy(() -> Ext4Superblock.parse("dumpe2fs 1.47.0 (5-Feb-2023)\n"))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("'Block count'");
    }

    @Test
    void anUnreadableDateIsReportedWithItsValue() {
        assertThatThrownBy(() -> Ext4Superblock.parse(header("clean", "yesterday", "n/a")))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("yesterday");
    }
}
