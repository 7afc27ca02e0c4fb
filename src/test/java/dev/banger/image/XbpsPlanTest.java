package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class XbpsPlanTest {
    private static final URI REPO = URI.create("https://mirror.example/voidlinux/current");
    private static final Path XBPS = Path.of("/opt/xbps/usr/bin/xbps-install.static");

    @Test
    void syncsTheOneRepositoryIntoTheNewRootWithoutQuestionsAndCachesDownloads() {
        List<String> argv = XbpsPlan.argv(XBPS, REPO, Path.of("/cache/xbps"), Path.of("/build/tree"), List.of("openssh", "git"));

        assertThat(argv.subList(0, 9)).containsExactly("/opt/xbps/usr/bin/xbps-install.static", "--sync", "--yes",
                "--rootdir", "/build/tree", "--repository", "https://mirror.example/voidlinux/current", "--cachedir", "/cache/xbps");
    }

    @Test
    void theBaseSystemBashKernelAndDracutComeFirstThenTheProfilePackagesOnce() {
        List<String> argv = XbpsPlan.argv(XBPS, REPO, Path.of("/c"), Path.of("/t"), List.of("openssh", "bash", "git"));

        assertThat(argv.subList(9, argv.size()))
                .containsExactly("base-minimal", "bash", "shadow", "linux", "dracut", "openssh", "git");
    }

    @Test
    void theBundledVoidBaselineIsAcceptedForEveryProfile() {
        for (Profile profile : Profile.values()) {
            List<String> packages = PackageList.bundled(Distro.VOID).forProfile(profile);
            assertThat(XbpsPlan.argv(XBPS, REPO, Path.of("/c"), Path.of("/t"), packages)).containsAll(packages);
        }
    }

    @Test
    void aPackageNameThatCouldBeAnOptionIsRefused() {
        assertThatThrownBy(() -> XbpsPlan.argv(XBPS, REPO, Path.of("/c"), Path.of("/t"), List.of("--rootdir=/")))
                .isInstanceOf(ImageException.class).hasMessageContaining("'--rootdir=/' is not a Void package name");
    }

    @Test
    void theTargetArchitectureIsGivenToXbpsExplicitly() {
        assertThat(XbpsPlan.env()).containsEntry("XBPS_ARCH", "x86_64").hasSize(1);
    }

    @Test
    void thePackageScriptsGetTheUsualCharacterDevicesInTheNewRoot() {
        List<List<String>> nodes = XbpsPlan.deviceNodes(Path.of("/build/tree"));

        assertThat(nodes).contains(List.of("mknod", "-m", "0666", "/build/tree/dev/null", "c", "1", "3"),
                List.of("mknod", "-m", "0666", "/build/tree/dev/urandom", "c", "1", "9"),
                List.of("mknod", "-m", "0600", "/build/tree/dev/console", "c", "5", "1"));
        assertThat(nodes).allSatisfy(argv -> assertThat(argv.get(3)).startsWith("/build/tree/dev/"));
    }
}
