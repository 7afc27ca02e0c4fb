package dev.banger.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.BangerPaths;
import dev.banger.config.ConfigLoader;
import dev.banger.config.LoadedConfig;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.DoctorReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banger doctor} with no daemon: the daemon's own checks, run in this process on this host
 * with banger's directories in a temp dir. The config names a runtime bundle that is not there, so
 * no KVM test boot slows the tests down wherever a bundle exists.
 */
class DoctorSetupTest {
    private static final List<String> ROOT_ONLY = List.of("kvm", "reflink", "disk-clones", "state-dir", "default-image");

    @TempDir
    Path dir;

    private BangerPaths paths;
    private final ProcessHostCommands host = new ProcessHostCommands();

    @BeforeEach
    void writeConfig() throws IOException {
        paths = new BangerPaths(dir.resolve("state"), dir.resolve("run"), dir.resolve("cache"), dir.resolve("config.toml"));
        Files.writeString(paths.configFile(), "[runtime]\nbundle = \"" + dir.resolve("no-bundle") + "\"\n");
    }

    /** The names the daemon's {@code doctor.run} reports for this config. */
    private List<String> daemonCheckNames() {
        LoadedConfig loaded = ConfigLoader.load(paths.configFile());
        BangerConfig config = loaded.config();
        return new DoctorMethods(DoctorSetup.context(host, paths, config), DoctorSetup.configCheck(paths, loaded),
                DoctorSetup.defaultImage(Optional::empty, host, paths, config)).checkNames();
    }

    private static CheckResult result(DoctorReport report, String name) {
        return report.checks().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void withoutADaemonTheDaemonsChecksRunHereInTheDaemonsOrder() {
        DoctorReport report = DoctorSetup.runWithoutDaemon(paths, host, true);

        assertThat(report.checks()).extracting(CheckResult::name).containsExactlyElementsOf(daemonCheckNames());
        assertThat(daemonCheckNames()).startsWith("config").endsWith("free-disk", "runtime-bundle", "default-image");
        assertThat(result(report, "config").status()).isEqualTo(CheckStatus.OK);
        assertThat(result(report, "default-image").status()).isEqualTo(CheckStatus.WARN);
        // The configured bundle is the one looked for, not whatever discovery would find here.
        assertThat(result(report, "runtime-bundle").detail()).contains(dir.resolve("no-bundle").toString());
        assertThat(paths.database()).as("a doctor must not create the database").doesNotExist();
    }

    @Test
    void aConfigThatDoesNotLoadIsTheConfigChecksFailureAndTheOtherChecksStillRun() throws IOException {
        Files.writeString(paths.configFile(), "[network]\nsubnet = \"10.0.0.0/33\"\n");

        DoctorReport report = DoctorSetup.runWithoutDaemon(paths, host, true);

        CheckResult config = result(report, "config");
        assertThat(config.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(config.detail()).contains("network.subnet").contains("bangerd does not start");
        assertThat(config.remedy()).contains(paths.configFile().toString());
        assertThat(report.checks()).extracting(CheckResult::name).containsExactlyElementsOf(
                new DoctorMethods(DoctorSetup.context(host, paths, BangerConfig.defaults()),
                        DoctorSetup.configCheck(paths, new LoadedConfig(BangerConfig.defaults(), List.of())),
                        DoctorSetup.defaultImage(Optional::empty, host, paths, BangerConfig.defaults())).checkNames());
        assertThat(report.hasFailures()).isTrue();
    }

    @Test
    void asAnotherUserTheChecksThatNeedRootAreReportedNotRunAndTouchNothing() {
        DoctorReport report = DoctorSetup.runWithoutDaemon(paths, host, false);

        assertThat(report.checks()).extracting(CheckResult::name).containsExactlyElementsOf(daemonCheckNames());
        for (CheckResult check : report.checks()) {
            if (ROOT_ONLY.contains(check.name())) {
                assertThat(check.status()).as(check.name()).isEqualTo(CheckStatus.WARN);
                assertThat(check.detail()).as(check.name()).startsWith("not run: needs root (");
                assertThat(check.remedy()).isEqualTo("run `sudo banger doctor`");
            } else {
                assertThat(check.detail()).as(check.name()).doesNotStartWith("not run");
            }
        }
        assertThat(paths.stateDir()).as("the state-dir check would have created it").doesNotExist();
        assertThat(paths.cacheDir()).as("the KVM check would have cached a verdict").doesNotExist();
    }
}
