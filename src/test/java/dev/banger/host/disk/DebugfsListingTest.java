package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DebugfsListingTest {
    private static final String BANNER = "debugfs 1.47.0 (5-Feb-2023)\n";

    @Test
    void entriesAreNamedAndTypedWithoutDotAndDotDot() {
        DebugfsListing listing = DebugfsListing.parse("/", """
                /2/040755/0/0/.//
                /2/040755/0/0/..//
                /11/040700/0/0/lost+found//
                /12/040755/0/0/root//
                /13/100644/0/0/.bashrc/3/

                """, BANNER);

        assertThat(listing.names()).containsExactly(".bashrc", "lost+found", "root");
        assertThat(listing.hasDirectory("root")).isTrue();
        assertThat(listing.hasDirectory(".bashrc")).isFalse();
        assertThat(listing.hasDirectory("absent")).isFalse();
    }

    @Test
    void aFileCalledRootIsNotADirectory() {
        DebugfsListing listing = DebugfsListing.parse("/", "/12/100644/0/0/root/0/\n", BANNER);

        assertThat(listing.hasDirectory("root")).isFalse();
    }

    @Test
    void debugfsComplaintsOnStderrAreErrorsDespiteItsExitCode() {
        assertThatThrownBy(() -> DebugfsListing.parse("/ in /x.img", "",
                BANNER + "debugfs: Bad magic number in super-block while trying to open /x.img\nls: Filesystem not open\n"))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("Bad magic number")
                .hasMessageContaining("/ in /x.img");
    }

    @Test
    void anUnexpectedLineIsRefused() {
        assertThatThrownBy(() -> DebugfsListing.parse("/", "total 3\n", BANNER))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("total 3");
    }
}
