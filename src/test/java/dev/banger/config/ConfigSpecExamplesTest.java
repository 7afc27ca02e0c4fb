package dev.banger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact cases the config's specification names, read through a real file as bangerd does. */
class ConfigSpecExamplesTest {
    @TempDir
    Path dir;

    private LoadedConfig load(String toml) throws Exception {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, toml);
        return ConfigLoader.load(file);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            '[network]\nsubnet = "10.0.0.0/33"'   | network.subnet: "10.0.0.0/33" is not an IPv4 CIDR
            '[network]\nbridge = "br/0"'          | network.bridge: "br/0" is not a valid interface name
            '[network]\nbridge = "sixteen-chars-br"' | network.bridge: "sixteen-chars-br" is 16 characters long
            '[vm]\nmemory = "-1G"'                | vm.memory: "-1G" is negative
            '[vm]\ndisk = "0"'                    | vm.disk: "0" has no unit
            '[vm]\ndisk = "0G"'                   | vm.disk: "0G" is zero
            '[vm]\ndisk = "12Q"'                  | vm.disk: "12Q" is not a size
            '[vm]\ndisk = "1E"'                   | vm.disk: "1E" is absurdly large
            '[agent]\nport = 65536'               | agent.port: 65536 is out of range: must be 1..65535
            'ping_helper_port = -1'               | ping_helper_port: -1 is out of range
            'vmm = "xen"'                         | vmm: "xen" is not one of "auto", "firecracker", "qemu"
            '[vm]\nvcpus = "two"'                 | vm.vcpus: expected an integer in 1..32, got a string ("two")
            'vmm = true'                          | vmm: expected a string, got a boolean (true)
            """)
    void invalidValueFromAFileNamesTheFileTheKeyAndTheReason(String toml, String expected) {
        Path file = dir.resolve("config.toml");

        assertThatThrownBy(() -> load(toml.replace("\\n", "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(((ConfigException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void legacyTopLevelPathAndNewPortCombine() throws Exception {
        LoadedConfig loaded = load("""
                ping_helper_path = "/opt/old-agent"
                [agent]
                port = 5000
                """);

        assertThat(loaded.config().agent().path()).contains(Path.of("/opt/old-agent"));
        assertThat(loaded.config().agent().port()).isEqualTo(5000);
        assertThat(loaded.warnings()).singleElement().asString()
                .contains("ping_helper_path is deprecated").contains("agent.path");
    }

    @Test
    void newAgentPathWinsOverTheLegacyTable() throws Exception {
        LoadedConfig loaded = load("""
                [agent]
                path = "/opt/new-agent"
                [ping_helper]
                path = "/opt/old-agent"
                """);

        assertThat(loaded.config().agent().path()).contains(Path.of("/opt/new-agent"));
        assertThat(loaded.warnings()).singleElement().asString()
                .contains("ping_helper.path").contains("ignored").contains("agent.path");
    }

    @Test
    void invalidValueUnderALegacyKeyIsBlamedOnTheKeyAsWritten() {
        assertThatThrownBy(() -> load("[ping_helper]\npath = \"relative/agent\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ping_helper.path: \"relative/agent\" is not an absolute path");
    }

    @Test
    void everyKnownKeyIsUnderstoodWithoutWarning() throws Exception {
        for (String key : ConfigKeys.ALL) {
            assertThat(ConfigKeys.LEGACY).doesNotContainKey(key);
        }
        assertThat(ConfigKeys.LEGACY.values()).allSatisfy(target -> assertThat(ConfigKeys.ALL).contains(target));
        assertThat(load("[vm]\nvcpus = 3\n").warnings()).isEmpty();
    }
}
