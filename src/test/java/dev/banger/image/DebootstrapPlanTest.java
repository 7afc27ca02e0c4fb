package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebootstrapPlanTest {
    @Test
    void minbaseIncludesTheBaselineAndTheKernelOnceWithACachedDownloadDir() {
        List<String> argv = DebootstrapPlan.argv("bookworm", URI.create("http://mirror.example/debian"),
                List.of("openssh-server", "git", DebootstrapPlan.KERNEL_PACKAGE), Path.of("/cache/debootstrap/bookworm"),
                Path.of("/state/images/.build-x/tree"));

        assertThat(argv).containsExactly("debootstrap", "--variant=minbase", "--components=main",
                "--cache-dir=/cache/debootstrap/bookworm", "--include=openssh-server,git,linux-image-cloud-amd64",
                "bookworm", "/state/images/.build-x/tree", "http://mirror.example/debian");
    }

    @Test
    void aPackageNameThatCouldBeAnOptionIsRefused() {
        assertThatThrownBy(() -> DebootstrapPlan.argv("bookworm", URI.create("http://m.example/debian"),
                List.of("--foreign"), Path.of("/c"), Path.of("/t")))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("'--foreign' is not a Debian package name");
    }

    @Test
    void theMinimalBaselineHasNoDevOnlyPackagesAndTheDevOneAddsNodeAndNpm() {
        PackageList debian = PackageList.bundled(Distro.DEBIAN);

        assertThat(debian.forProfile(Profile.MINIMAL)).contains("openssh-server", "e2fsprogs").doesNotContain("nodejs", "npm");
        assertThat(debian.forProfile(Profile.DEV)).contains("openssh-server", "nodejs", "npm");
    }
}
