package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code banger runtime bootstrap --offline}: the Firecracker release comes from the download cache
 * or not at all, and its source, a listener that counts connections, is never contacted.
 */
class RuntimeBootstrapOfflineTest {
    private Path tmp;
    private Path cache;
    private Path target;
    private FakeFirecrackerRelease release;
    private ConnectionRecorder unreachable;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("banger-offline");
        cache = tmp.resolve("cache");
        target = tmp.resolve("bundle");
        release = new FakeFirecrackerRelease(tmp);
        unreachable = new ConnectionRecorder();
    }

    @AfterEach
    void tearDown() throws Exception {
        unreachable.close();
        release.close();
        TestBundles.deleteTree(tmp);
    }

    private RuntimeBootstrap.Result bootstrap(ArtifactFetcher fetcher, BundleSpec spec) {
        return new RuntimeBootstrap(new ProcessHostCommands(), fetcher, () -> {
            throw new AssertionError("no kernel in this spec");
        }, Optional.empty()).run(spec, target, progress::add);
    }

    /** The release spec with every pin right, but its source the listener that must not be contacted. */
    private BundleSpec offlineSpec(boolean optional) {
        return FakeFirecrackerRelease.spec(unreachable.url("/releases/download/v1.16.1/" + FakeFirecrackerRelease.ARCHIVE),
                release.archiveSha, FakeFirecrackerRelease.FIRECRACKER_MEMBER, release.firecrackerSha,
                FakeFirecrackerRelease.JAILER_MEMBER, optional);
    }

    @Test
    void aCachedArchiveIsUsedAndTheSourceIsNeverContacted() {
        bootstrap(new ArtifactFetcher(cache), release.spec());
        TestBundles.deleteTree(target);

        RuntimeBootstrap.Result result = bootstrap(ArtifactFetcher.offline(cache), offlineSpec(true));

        assertThat(result.warnings()).isEmpty();
        assertThat(target.resolve("bin/firecracker")).hasContent(FakeFirecrackerRelease.FIRECRACKER);
        assertThat(target.resolve("bin/jailer")).hasContent(FakeFirecrackerRelease.JAILER);
        assertThat(BundleManifest.read(target).entry("firecracker").orElseThrow().sha256())
                .isEqualTo(release.firecrackerSha);
        assertThat(unreachable.connections()).isZero();
        assertThat(release.requests).hasValue(1);
    }

    @Test
    void anUncachedOptionalDownloadIsSkippedWithOneLineSayingHowToGetIt() {
        RuntimeBootstrap.Result result = bootstrap(ArtifactFetcher.offline(cache), offlineSpec(true));

        assertThat(result.warnings()).hasSize(2);
        assertThat(result.warnings().get(0)).startsWith("firecracker is missing");
        assertThat(result.warnings().get(1)).startsWith("jailer is missing");
        assertThat(result.warnings()).allSatisfy(w -> assertThat(w)
                .doesNotContain("\n")
                .contains("not in the download cache")
                .contains("without --offline on a connected host")
                .contains("--firecracker PATH --jailer PATH"));
        assertThat(target.resolve("bin/firecracker")).doesNotExist();
        assertThat(BundleManifest.read(target).artifacts()).isEmpty();
        assertThat(unreachable.connections()).isZero();
    }

    @Test
    void anUncachedRequiredDownloadFailsNamingIt() {
        assertThatThrownBy(() -> bootstrap(ArtifactFetcher.offline(cache), offlineSpec(false)))
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("artifact 'firecracker'")
                .hasMessageContaining(FakeFirecrackerRelease.ARCHIVE)
                .hasMessageContaining("--offline");
        assertThat(unreachable.connections()).isZero();
    }

    @Test
    void aFirecrackerInstalledEarlierFromALocalFileIsKeptWithoutAWarning() throws IOException {
        Path localFc = Files.writeString(tmp.resolve("my-firecracker"), "my own firecracker");
        Path localJailer = Files.writeString(tmp.resolve("my-jailer"), "my own jailer");
        bootstrap(ArtifactFetcher.offline(cache), offlineSpec(true)
                .withLocalFile(RuntimeArtifacts.FIRECRACKER, localFc)
                .withLocalFile(RuntimeArtifacts.JAILER, localJailer));
        progress.clear();

        RuntimeBootstrap.Result result = bootstrap(ArtifactFetcher.offline(cache), offlineSpec(true));

        assertThat(result.warnings()).isEmpty();
        assertThat(progress).hasSize(2).allSatisfy(line -> assertThat(line).contains("kept").contains("from file:"));
        assertThat(target.resolve("bin/firecracker")).hasContent("my own firecracker");
        assertThat(BundleManifest.read(target).entry("jailer").orElseThrow().source())
                .isEqualTo(localJailer.toUri().toString());
        assertThat(unreachable.connections()).isZero();
    }

    @Test
    void aStaleEarlierInstallThatCannotBeUpdatedIsAWarningNotAMissingBinary() throws IOException {
        bootstrap(new ArtifactFetcher(cache), release.spec());
        TestBundles.deleteTree(cache);
        BundleSpec newerPin = FakeFirecrackerRelease.spec(unreachable.url("/v1.17/" + FakeFirecrackerRelease.ARCHIVE),
                "22".repeat(32), FakeFirecrackerRelease.FIRECRACKER_MEMBER, "", FakeFirecrackerRelease.JAILER_MEMBER, true);

        RuntimeBootstrap.Result result = bootstrap(ArtifactFetcher.offline(cache), newerPin);

        assertThat(result.warnings()).hasSize(2).allSatisfy(w -> assertThat(w)
                .contains("is not updated").contains("keeps bin/").contains(release.url()));
        assertThat(target.resolve("bin/firecracker")).hasContent(FakeFirecrackerRelease.FIRECRACKER);
        assertThat(unreachable.connections()).isZero();
    }
}
