package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BundleLocatorTest {
    private Path tmp;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("banger-locator");
    }

    @AfterEach
    void tearDown() {
        TestBundles.deleteTree(tmp);
    }

    private Path checkout() throws IOException {
        Path root = tmp.resolve("checkout");
        Files.createDirectories(root.resolve("config"));
        Files.createDirectories(root.resolve("build/bin"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        Files.writeString(root.resolve("config/runtime-bundle.toml"), "version = \"1\"");
        return root;
    }

    @Test
    void environmentVariableWinsOverEveryOtherLocation() throws IOException {
        Path checkout = checkout();
        TestBundles.write(checkout.resolve("build/runtime"), "initrd");
        Path env = tmp.resolve("env-bundle");
        TestBundles.write(env, "initrd");
        var ctx = new DiscoveryContext(Map.of(DiscoveryContext.BUNDLE_ENV, env.toString()),
                Optional.of(checkout.resolve("build/bin")), tmp);

        BundleLocation found = BundleLocator.require(ctx);

        assertThat(found.root()).isEqualTo(env);
        assertThat(found.origin()).isEqualTo(BundleLocation.Origin.ENVIRONMENT);
    }

    @Test
    void theConfiguredBundleWinsEvenOverTheEnvironmentVariable() throws IOException {
        Path env = tmp.resolve("env-bundle");
        TestBundles.write(env, "initrd");
        Path configured = tmp.resolve("configured-bundle");
        TestBundles.write(configured, "initrd");
        var ctx = new DiscoveryContext(Map.of(DiscoveryContext.BUNDLE_ENV, env.toString()), Optional.empty(), tmp)
                .withConfiguredBundle(Optional.of(configured));

        BundleLocation found = BundleLocator.require(ctx);

        assertThat(found.root()).isEqualTo(configured);
        assertThat(found.origin()).isEqualTo(BundleLocation.Origin.CONFIG);
    }

    @Test
    void anEmptyConfiguredBundleFailsNamingTheSettingInsteadOfFallingBack() throws IOException {
        Path env = tmp.resolve("env-bundle");
        TestBundles.write(env, "initrd");
        Path configured = tmp.resolve("nothing");
        var ctx = new DiscoveryContext(Map.of(DiscoveryContext.BUNDLE_ENV, env.toString()), Optional.empty(), tmp)
                .withConfiguredBundle(Optional.of(configured));

        assertThatThrownBy(() -> BundleLocator.require(ctx))
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("[runtime] bundle")
                .hasMessageContaining("banger runtime bootstrap --dir " + configured);
    }

    @Test
    void anEmptyEnvironmentBundleFailsInsteadOfFallingBack() throws IOException {
        Path checkout = checkout();
        TestBundles.write(checkout.resolve("build/runtime"), "initrd");
        var ctx = new DiscoveryContext(Map.of(DiscoveryContext.BUNDLE_ENV, tmp.resolve("nothing").toString()),
                Optional.of(checkout.resolve("build/bin")), tmp);

        assertThatThrownBy(() -> BundleLocator.require(ctx))
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("BANGER_RUNTIME_BUNDLE")
                .hasMessageContaining("banger runtime bootstrap");
    }

    @Test
    void checkoutLauncherFindsBuildRuntime() throws IOException {
        Path checkout = checkout();
        TestBundles.write(checkout.resolve("build/runtime"), "initrd");
        var ctx = new DiscoveryContext(Map.of(), Optional.of(checkout.resolve("build/bin")), tmp);

        BundleLocation found = BundleLocator.require(ctx);

        assertThat(found.root()).isEqualTo(checkout.resolve("build/runtime"));
        assertThat(found.origin()).isEqualTo(BundleLocation.Origin.CHECKOUT);
        assertThat(found.warning()).isEmpty();
        assertThat(BundleLocator.target(ctx)).isEqualTo(checkout.resolve("build/runtime"));
    }

    @Test
    void installedLauncherFindsPrefixLibBanger() throws IOException {
        Path prefix = tmp.resolve("prefix");
        Files.createDirectories(prefix.resolve("bin"));
        TestBundles.write(prefix.resolve("lib/banger"), "initrd");
        var ctx = new DiscoveryContext(Map.of(), Optional.of(prefix.resolve("bin")), tmp);

        BundleLocation found = BundleLocator.require(ctx);

        assertThat(found.root()).isEqualTo(prefix.resolve("lib/banger"));
        assertThat(found.origin()).isEqualTo(BundleLocation.Origin.INSTALLED);
        assertThat(BundleLocator.target(ctx)).isEqualTo(prefix.resolve("lib/banger"));
    }

    @Test
    void legacyRuntimeDirectoryIsFoundLastWithAWarning() throws IOException {
        Path prefix = tmp.resolve("prefix");
        Files.createDirectories(prefix.resolve("bin"));
        Path cwd = tmp.resolve("work");
        TestBundles.write(cwd.resolve("runtime"), "initrd");
        var ctx = new DiscoveryContext(Map.of(), Optional.of(prefix.resolve("bin")), cwd);

        BundleLocation found = BundleLocator.require(ctx);

        assertThat(found.origin()).isEqualTo(BundleLocation.Origin.LEGACY);
        assertThat(found.root()).isEqualTo(cwd.resolve("runtime"));
        assertThat(found.warning()).contains("legacy").contains(cwd.resolve("runtime").toString());
    }

    @Test
    void noBundleAnywhereNamesTheMakeTargetInACheckout() throws IOException {
        Path checkout = checkout();
        var ctx = new DiscoveryContext(Map.of(), Optional.of(checkout.resolve("build/bin")), tmp);

        assertThatThrownBy(() -> BundleLocator.require(ctx))
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("make runtime")
                .hasMessageContaining(checkout.resolve("build/runtime").toString());
    }

    @Test
    void noBundleWhenInstalledNamesBootstrap() throws IOException {
        Path prefix = tmp.resolve("prefix");
        Files.createDirectories(prefix.resolve("bin"));
        var ctx = new DiscoveryContext(Map.of(), Optional.of(prefix.resolve("bin")), tmp);

        assertThatThrownBy(() -> RuntimeBundle.locate(ctx))
                .hasMessageContaining("`banger runtime bootstrap`")
                .hasMessageNotContaining("make runtime");
    }

    @Test
    void missingArtifactNamesTheFixingCommand() throws IOException {
        Path checkout = checkout();
        TestBundles.write(checkout.resolve("build/runtime"), "initrd");
        var bundle = RuntimeBundle.locate(new DiscoveryContext(Map.of(), Optional.of(checkout.resolve("build/bin")), tmp));

        assertThat(bundle.require("initrd")).hasContent("content of initrd");
        assertThatThrownBy(() -> bundle.require(RuntimeArtifacts.KERNEL_VMLINUX))
                .hasMessageContaining("kernel-vmlinux").hasMessageContaining("make runtime");
        assertThatThrownBy(() -> bundle.require(RuntimeArtifacts.FIRECRACKER))
                .hasMessageContaining("--firecracker");
    }
}
