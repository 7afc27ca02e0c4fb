package dev.banger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShareTest {
    @Test
    void aHostDirectoryAloneIsSharedReadWriteUnderMnt() {
        assertThat(Share.parse("/home/me/src")).isEqualTo(new Share("/home/me/src", "/mnt/src", false));
        assertThat(Share.parse("/home/me/src/")).isEqualTo(new Share("/home/me/src/", "/mnt/src", false));
    }

    @Test
    void theGuestPathAndReadOnlyAreOptionalParts() {
        assertThat(Share.parse("/srv/data:/data")).isEqualTo(new Share("/srv/data", "/data", false));
        assertThat(Share.parse("/srv/data:/data:ro")).isEqualTo(new Share("/srv/data", "/data", true));
        assertThat(Share.parse("/srv/data:ro")).isEqualTo(new Share("/srv/data", "/mnt/data", true));
        assertThat(Share.parse("/srv/data:/data:rw")).isEqualTo(new Share("/srv/data", "/data", false));
    }

    @Test
    void aSpecItReadsIsWhatItWrites() {
        Share share = new Share("/srv/data", "/data", true);
        assertThat(Share.parse(share.spec())).isEqualTo(share);
    }

    @Test
    void malformedSpecsAreRefusedNamingThePart() {
        assertThatThrownBy(() -> Share.parse("/a:/b:/c")).hasMessageContaining("too many ':' parts");
        assertThatThrownBy(() -> Share.parse(":/data")).hasMessageContaining("names no host directory");
        assertThatThrownBy(() -> Share.parse("/srv/data::ro")).hasMessageContaining("empty guest path").hasMessageContaining("/mnt/data");
        assertThatThrownBy(() -> Share.parse(" ")).hasMessageContaining("HOST_DIR[:GUEST_PATH][:ro]");
    }

    @Test
    void aPathWithoutANameGetsAPlainDefault() {
        assertThat(Share.defaultGuestPath("/")).isEqualTo("/mnt/share");
        assertThat(Share.defaultGuestPath("/srv/..")).isEqualTo("/mnt/share");
    }
}
