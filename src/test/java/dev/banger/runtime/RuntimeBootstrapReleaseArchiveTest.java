package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.ProcessHostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bootstrap of Firecracker and the jailer from the release archive's real layout, pinned twice. */
class RuntimeBootstrapReleaseArchiveTest {
    private Path tmp;
    private Path cache;
    private Path target;
    private FakeFirecrackerRelease release;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("banger-release");
        cache = tmp.resolve("cache");
        target = tmp.resolve("bundle");
        release = new FakeFirecrackerRelease(tmp);
    }

    @AfterEach
    void tearDown() {
        release.close();
        TestBundles.deleteTree(tmp);
    }

    private RuntimeBootstrap.Result bootstrap(BundleSpec spec) {
        return new RuntimeBootstrap(new ProcessHostCommands(), new ArtifactFetcher(cache), () -> {
            throw new AssertionError("no kernel in this spec");
        }, Optional.empty()).run(spec, target, progress::add);
    }

    /** Every regular file under the bundle's bin/, temp files included, by name. */
    private List<String> binFiles() throws IOException {
        Path bin = target.resolve("bin");
        if (!Files.exists(bin)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(bin)) {
            return walk.filter(Files::isRegularFile).map(p -> bin.relativize(p).toString()).sorted().toList();
        }
    }

    private Optional<BundleManifest.Entry> manifestEntry(String name) {
        return BundleManifest.readIfPresent(target).flatMap(m -> m.entry(name));
    }

    @Test
    void bothBinariesAreUnpackedFromOneDownloadVerifiedAndRecorded() throws IOException {
        RuntimeBootstrap.Result result = bootstrap(release.spec());

        assertThat(result.warnings()).isEmpty();
        assertThat(release.requests).as("firecracker and jailer share one download").hasValue(1);
        assertThat(target.resolve("bin/firecracker")).hasContent(FakeFirecrackerRelease.FIRECRACKER);
        assertThat(target.resolve("bin/jailer")).hasContent(FakeFirecrackerRelease.JAILER);
        for (String binary : List.of("bin/firecracker", "bin/jailer")) {
            assertThat(Files.getPosixFilePermissions(target.resolve(binary)))
                    .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(binFiles()).containsExactly("firecracker", "jailer");
        BundleManifest manifest = BundleManifest.read(target);
        assertThat(manifest.entry("firecracker")).hasValue(new BundleManifest.Entry("firecracker", "1.16.1",
                "bin/firecracker", release.firecrackerSha, release.url(), release.archiveSha));
        assertThat(manifest.entry("jailer")).hasValue(new BundleManifest.Entry("jailer", "1.16.1",
                "bin/jailer", release.jailerSha, release.url(), release.archiveSha));
        assertThat(cache.resolve("downloads").resolve(release.archiveSha + "-" + FakeFirecrackerRelease.ARCHIVE))
                .hasSameBinaryContentAs(release.archive);
    }

    @Test
    void aRerunKeepsBothWithoutDownloadingAgain() {
        bootstrap(release.spec());
        progress.clear();

        bootstrap(release.spec());

        assertThat(release.requests).hasValue(1);
        assertThat(progress).hasSize(2).allSatisfy(line -> assertThat(line).contains("kept 1.16.1"));
    }

    @Test
    void aFailedArchiveDownloadIsTriedOnceForBothArtifacts() {
        BundleSpec spec = FakeFirecrackerRelease.spec(release.goneUrl(), release.archiveSha,
                FakeFirecrackerRelease.FIRECRACKER_MEMBER, release.firecrackerSha, FakeFirecrackerRelease.JAILER_MEMBER,
                true);

        RuntimeBootstrap.Result result = bootstrap(spec);

        assertThat(release.requests).hasValue(1);
        assertThat(result.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("HTTP 404"));
        assertThat(result.warnings().get(1)).startsWith("jailer is missing").contains("not retried in this run");
    }

    @Test
    void aWrongArchiveSumFailsEvenThoughTheArtifactsAreOptionalAndInstallsNothing() throws IOException {
        String wrong = "00".repeat(32);
        BundleSpec spec = FakeFirecrackerRelease.spec(release.url(), wrong, FakeFirecrackerRelease.FIRECRACKER_MEMBER,
                release.firecrackerSha, FakeFirecrackerRelease.JAILER_MEMBER, true);

        assertThatThrownBy(() -> bootstrap(spec))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining("firecracker").hasMessageContaining(wrong).hasMessageContaining(release.archiveSha);
        assertThat(binFiles()).isEmpty();
        assertThat(manifestEntry("firecracker")).isEmpty();
        assertThat(cache.resolve("downloads")).isEmptyDirectory();
    }

    @Test
    void aWrongMemberSumFailsNamingTheMemberAndInstallsNothing() throws IOException {
        String wrong = "11".repeat(32);
        BundleSpec spec = FakeFirecrackerRelease.spec(release.url(), release.archiveSha,
                FakeFirecrackerRelease.FIRECRACKER_MEMBER, wrong, FakeFirecrackerRelease.JAILER_MEMBER, true);

        assertThatThrownBy(() -> bootstrap(spec))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining(FakeFirecrackerRelease.FIRECRACKER_MEMBER).hasMessageContaining("member_sha256")
                .hasMessageContaining(wrong).hasMessageContaining(release.firecrackerSha);
        assertThat(binFiles()).isEmpty();
        assertThat(manifestEntry("firecracker")).isEmpty();
    }

    @Test
    void aMissingMemberFailsNamingItAndLeavesNoPartialFile() throws IOException {
        String missing = FakeFirecrackerRelease.DIR + "/jailer-v1.16.0-x86_64";
        BundleSpec spec = FakeFirecrackerRelease.spec(release.url(), release.archiveSha,
                FakeFirecrackerRelease.FIRECRACKER_MEMBER, release.firecrackerSha, missing, true);

        assertThatThrownBy(() -> bootstrap(spec))
                .isInstanceOfSatisfying(RuntimeBundleException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("jailer").hasMessageContaining(missing).hasMessageContaining("Fix member");
        assertThat(binFiles()).as("firecracker, finished before, stays; nothing of the jailer")
                .containsExactly("firecracker");
        assertThat(manifestEntry("firecracker")).isPresent();
        assertThat(manifestEntry("jailer")).isEmpty();
    }
}
