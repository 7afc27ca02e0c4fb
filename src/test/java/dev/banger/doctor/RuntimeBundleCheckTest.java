package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.ConfigLoader;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.runtime.BundleManifest;
import dev.banger.runtime.DiscoveryContext;
import dev.banger.runtime.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RuntimeBundleCheckTest {
    private Path tmp;
    private Path bundle;
    private DiscoveryContext ctx;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("banger-check");
        bundle = tmp.resolve("bundle");
        ctx = new DiscoveryContext(Map.of(DiscoveryContext.BUNDLE_ENV, bundle.toString()), Optional.empty(), tmp);
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private void writeBundle(String... names) throws IOException {
        BundleManifest manifest = new BundleManifest("1", "", List.of());
        for (String name : names) {
            Path file = bundle.resolve(name);
            Files.createDirectories(bundle);
            Files.writeString(file, name);
            manifest = manifest.with(new BundleManifest.Entry(name, "", name, Sha256.of(file), "", ""));
        }
        manifest.write(bundle);
    }

    @Test
    void intactBundleIsOkAndNamesItsLocation() throws IOException {
        writeBundle("initrd", "firecracker");

        CheckResult result = new RuntimeBundleCheck(ctx).run();

        assertThat(result.name()).isEqualTo("runtime-bundle");
        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.detail()).contains(bundle.toString());
    }

    @Test
    void mismatchedArtifactFailsNamingItAndTheFix() throws IOException {
        writeBundle("initrd", "firecracker");
        Files.writeString(bundle.resolve("initrd"), "tampered");

        CheckResult result = new RuntimeBundleCheck(ctx).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("initrd sha256 mismatch");
        assertThat(result.remedy()).contains("banger runtime bootstrap");
    }

    @Test
    void missingRequiredArtifactFails() throws IOException {
        writeBundle("initrd", "firecracker");
        Files.delete(bundle.resolve("initrd"));

        CheckResult result = new RuntimeBundleCheck(ctx).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("initrd missing");
    }

    @Test
    void missingFirecrackerAloneOnlyWarns() throws IOException {
        writeBundle("initrd", "firecracker");
        Files.delete(bundle.resolve("firecracker"));

        CheckResult result = new RuntimeBundleCheck(ctx).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("firecracker");
        assertThat(result.remedy()).contains("--firecracker");
    }

    @Test
    void bundleThatNeverHadFirecrackerWarns() throws IOException {
        writeBundle("initrd");

        assertThat(new RuntimeBundleCheck(ctx).run().status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void theCheckForAConfigInspectsTheBundleItsRuntimeBundleKeyNames() throws IOException {
        Path elsewhere = tmp.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        Files.writeString(elsewhere.resolve("initrd"), "initrd");
        new BundleManifest("1", "", List.of())
                .with(new BundleManifest.Entry("initrd", "", "initrd", Sha256.of(elsewhere.resolve("initrd")), "", ""))
                .write(elsewhere);
        Files.writeString(elsewhere.resolve("initrd"), "tampered");
        BangerConfig config = ConfigLoader.parse("[runtime]\nbundle = \"" + elsewhere + "\"\n", "test.toml").config();

        CheckResult result = RuntimeBundleCheck.forConfig(config).run();

        // Whatever discovery would find for this process, the configured bundle is the one inspected.
        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains(elsewhere.toString()).contains("[runtime] bundle in the config")
                .contains("initrd sha256 mismatch");
    }

    @Test
    void aConfiguredBundleDirectoryWithoutABundleFailsNamingTheSetting() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        BangerConfig config = ConfigLoader.parse("[runtime]\nbundle = \"" + empty + "\"\n", "test.toml").config();

        CheckResult result = RuntimeBundleCheck.forConfig(config).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("[runtime] bundle").contains(empty.toString());
        assertThat(result.remedy()).contains("banger runtime bootstrap --dir " + empty);
    }

    @Test
    void noBundleFailsWithTheBootstrapCommand() {
        CheckResult result = new RuntimeBundleCheck(ctx).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.remedy()).contains("banger runtime bootstrap");
    }
}
