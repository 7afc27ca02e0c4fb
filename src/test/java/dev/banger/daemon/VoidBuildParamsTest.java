package dev.banger.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.image.DebianImageBuilder;
import dev.banger.image.Distro;
import dev.banger.image.VoidImageBuilder;
import org.junit.jupiter.api.Test;

class VoidBuildParamsTest {
    @Test
    void aVoidBuildWithoutAReleaseRecordsVoidsRollingBranchAndDebianKeepsItsOwn() {
        var voidBuild = new ImageMethods.BuildParams("void-exp", "void", null, null, null).request();
        var debianBuild = new ImageMethods.BuildParams("default", null, null, null, null).request();

        assertThat(voidBuild.distro()).isEqualTo(Distro.VOID);
        assertThat(voidBuild.release()).isEqualTo(VoidImageBuilder.DEFAULT_RELEASE).isEqualTo("current");
        assertThat(debianBuild.release()).isEqualTo(DebianImageBuilder.DEFAULT_RELEASE);
    }
}
