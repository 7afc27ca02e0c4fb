package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.LoadedConfig;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {
    private final Path file = Path.of("/etc/banger/config.toml");

    @Test
    void aConfigThatDoesNotLoadFailsQuotingTheLoaderAndSayingTheDaemonWillNotStart() {
        CheckResult result = ConfigCheck.failed(file, "/etc/banger/config.toml: network.subnet: not a subnet").run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("network.subnet: not a subnet").contains("bangerd does not start");
        assertThat(result.remedy()).contains("fix " + file);
    }

    @Test
    void warningsWarnAndACleanOrAbsentFileIsOk() {
        LoadedConfig clean = new LoadedConfig(BangerConfig.defaults(), List.of());
        LoadedConfig warned = new LoadedConfig(BangerConfig.defaults(), List.of("unknown key vm.cpus"));

        assertThat(ConfigCheck.loaded(file, true, clean).run().status()).isEqualTo(CheckStatus.OK);
        assertThat(ConfigCheck.loaded(file, false, clean).run().detail()).contains("built-in defaults");
        CheckResult result = ConfigCheck.loaded(file, true, warned).run();
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("unknown key vm.cpus");
    }

    @Test
    void onlyAFileThisUserCannotReadNeedsRoot() {
        assertThat(ConfigCheck.unreadableByUser(file, "cannot read").needsRoot()).isPresent();
        assertThat(ConfigCheck.failed(file, "bad").needsRoot()).isEmpty();
        assertThat(ConfigCheck.loaded(file, true, new LoadedConfig(BangerConfig.defaults(), List.of())).needsRoot()).isEmpty();
    }
}
