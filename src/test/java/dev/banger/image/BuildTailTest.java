package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildTailTest {
    @Test
    void bothBuildersEndWithTheSharedStagesUnderTheirWireNames() {
        assertThat(DebianImageBuilder.STAGES)
                .containsExactly("debootstrap", "packages", "customise", "kernel", "work-seed", "rootfs", "manifest");
        assertThat(VoidImageBuilder.STAGES)
                .containsExactly("repository", "xbps", "initramfs", "customise", "kernel", "work-seed", "rootfs", "manifest");
    }
}
