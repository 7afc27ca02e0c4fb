package dev.banger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.banger.model.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static final Path EXAMPLE = Path.of("config/banger.example.toml");

    @TempDir
    Path dir;

    private static LoadedConfig parse(String toml) {
        return ConfigLoader.parse(toml, "test.toml");
    }

    @Test
    void missingFileMeansAllDefaultsAndNoWarnings() {
        LoadedConfig loaded = ConfigLoader.load(dir.resolve("absent.toml"));

        assertThat(loaded.config()).isEqualTo(BangerConfig.defaults());
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        BangerConfig d = BangerConfig.defaults();

        assertThat(d.vmm()).isEqualTo(VmmChoice.AUTO);
        assertThat(d.daemon().group()).isEqualTo("banger");
        assertThat(d.network().bridge()).isEqualTo("banger0");
        assertThat(d.network().subnet()).hasToString("172.30.0.0/24");
        assertThat(d.network().domain()).isEqualTo("banger.internal");
        assertThat(d.network().tapPoolSize()).isEqualTo(4);
        assertThat(d.vm().vcpus()).isEqualTo(2);
        assertThat(d.vm().memory().bytes()).isEqualTo(ByteSize.GIB);
        assertThat(d.vm().disk().bytes()).isEqualTo(8 * ByteSize.GIB);
        assertThat(d.agent().port()).isEqualTo(10000);
        assertThat(d.agent().path()).isEmpty();
        assertThat(d.image().defaultImage()).isEqualTo("default");
        assertThat(d.qemu().binary()).isEqualTo("qemu-system-x86_64");
        assertThat(d.firecracker().jail()).isFalse();
    }

    @Test
    void exampleFileParsesWithoutWarningsToTheDefaults() {
        LoadedConfig loaded = ConfigLoader.load(EXAMPLE);

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.config()).isEqualTo(BangerConfig.defaults());
    }

    @Test
    void exampleFileSetsExactlyTheKnownKeys() throws Exception {
        JsonNode root = new TomlMapper().readTree(Files.readString(EXAMPLE));
        List<String> set = new ArrayList<>();
        for (Map.Entry<String, JsonNode> top : root.properties()) {
            if (top.getValue().isObject()) {
                top.getValue().properties().forEach(child -> set.add(top.getKey() + "." + child.getKey()));
            } else {
                set.add(top.getKey());
            }
        }

        assertThat(set).containsExactlyInAnyOrderElementsOf(ConfigKeys.ALL);
    }

    @Test
    void everyKeyInTheExampleHasACommentNamingItsDefault() throws Exception {
        List<String> lines = Files.readAllLines(EXAMPLE);
        Pattern assignment = Pattern.compile("^([a-z_]+) = .*");
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = assignment.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            StringBuilder comment = new StringBuilder();
            for (int j = i - 1; j >= 0 && lines.get(j).startsWith("#"); j--) {
                comment.insert(0, lines.get(j) + "\n");
            }
            assertThat(comment.toString()).as("comment above %s", m.group(1)).contains("Default:").contains("Valid");
            checked++;
        }
        assertThat(checked).isEqualTo(ConfigKeys.ALL.size());
    }

    @Test
    void everyKeyIsReadIntoTheConfig() {
        String toml = """
                vmm = "qemu"
                log_level = "debug"
                [daemon]
                group = "wheel"
                [network]
                bridge = "br-dev"
                subnet = "10.9.0.0/16"
                domain = "vm.test"
                tap_pool_size = 0
                nat = "iptables"
                [vm]
                vcpus = 1
                memory = "512M"
                disk = "20G"
                warm_machines = 3
                golden_snapshots = false
                [agent]
                path = "/opt/agent"
                port = 1234
                [image]
                default = "void"
                debian_mirror = "http://mirror.example/debian"
                void_repository = "https://mirror.example/void"
                xbps_install = "/opt/xbps-static/usr/bin/xbps-install.static"
                [firecracker]
                binary = "/opt/fc/firecracker"
                jailer = "/opt/fc/jailer"
                jail = true
                [qemu]
                binary = "/usr/local/bin/qemu-system-x86_64"
                [runtime]
                bundle = "/opt/banger/runtime"
                """;

        BangerConfig c = parse(toml).config();

        assertThat(c.vmm()).isEqualTo(VmmChoice.QEMU);
        assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(c.daemon().group()).isEqualTo("wheel");
        assertThat(c.network()).isEqualTo(new NetworkConfig("br-dev", SubnetSetting.parse("10.9.0.0/16"), "vm.test", 0, NatMode.IPTABLES));
        assertThat(c.vm()).isEqualTo(new VmDefaults(1, ByteSize.ofMebibytes(512), ByteSize.ofGibibytes(20), 3, false));
        assertThat(c.agent()).isEqualTo(new AgentConfig(Optional.of(Path.of("/opt/agent")), 1234));
        assertThat(c.image().defaultImage()).isEqualTo("void");
        assertThat(c.image().debianMirror()).hasValueSatisfying(u -> assertThat(u).hasToString("http://mirror.example/debian"));
        assertThat(c.image().voidRepository()).hasValueSatisfying(u -> assertThat(u.getHost()).isEqualTo("mirror.example"));
        assertThat(c.image().xbpsInstall()).contains("/opt/xbps-static/usr/bin/xbps-install.static");
        assertThat(c.firecracker().binary()).contains(Path.of("/opt/fc/firecracker"));
        assertThat(c.firecracker().jailer()).contains(Path.of("/opt/fc/jailer"));
        assertThat(c.firecracker().jail()).isTrue();
        assertThat(c.qemu().binary()).isEqualTo("/usr/local/bin/qemu-system-x86_64");
        assertThat(c.runtime().bundle()).contains(Path.of("/opt/banger/runtime"));
    }

    @Test
    void unknownKeyWarnsByNameAndTheLoadStillSucceeds() {
        LoadedConfig loaded = parse("""
                colour = "blue"
                [network]
                bridg = "br1"
                subnet = "10.1.0.0/24"
                [shared_folders]
                x = 1
                """);

        assertThat(loaded.config().network().subnet()).hasToString("10.1.0.0/24");
        assertThat(loaded.config().network().bridge()).isEqualTo("banger0");
        assertThat(loaded.warnings()).hasSize(3);
        assertThat(loaded.warnings().get(0)).contains("unknown key colour");
        assertThat(loaded.warnings().get(1)).contains("unknown key network.bridg").contains("did you mean network.bridge?");
        assertThat(loaded.warnings().get(2)).isEqualTo("unknown table [shared_folders] (ignored)");
    }

    @Test
    void misplacedKeySuggestsItsTable() {
        assertThat(parse("vcpus = 4\n").warnings()).singleElement().asString().contains("did you mean vm.vcpus?");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            vmm = "kvm"                                  | vmm: "kvm" is not one of "auto", "firecracker", "qemu"
            log_level = 3                                | log_level: expected a string, got an integer (3)
            '[daemon]\ngroup = "Bad Group"'              | daemon.group: "Bad Group" is not a valid group name
            '[network]\nsubnet = "10.0.0.0/33"'          | network.subnet: "10.0.0.0/33" is not an IPv4 CIDR
            '[network]\nsubnet = "10.0.0.1/24"'          | network.subnet: "10.0.0.1/24" has host bits set: did you mean 10.0.0.0/24?
            '[network]\nsubnet = "10.0.0.0/31"'          | network.subnet: "10.0.0.0/31" leaves no addresses for guests
            '[network]\nbridge = "a-very-long-bridge0"'  | network.bridge: "a-very-long-bridge0" is 19 characters long
            '[network]\nbridge = "br 0"'                 | network.bridge: "br 0" is not a valid interface name
            '[network]\ndomain = "Banger..internal"'     | network.domain: "Banger..internal" is not a DNS domain
            '[network]\ntap_pool_size = 65'              | network.tap_pool_size: 65 is out of range: must be 0..64
            '[network]\ntap_pool_size = "4"'             | network.tap_pool_size: expected an integer in 0..64, got a string ("4")
            '[network]\nnat = "pf"'                      | network.nat: "pf" is not one of "auto", "nftables", "iptables", "off"
            network = "banger0"                          | network: expected a table ([network]), got a string
            '[vm]\nvcpus = 0'                            | vm.vcpus: 0 is out of range: must be 1..32
            '[vm]\nvcpus = 2.5'                          | vm.vcpus: expected an integer in 1..32, got a number (2.5)
            '[vm]\nmemory = "lots"'                      | vm.memory: "lots" is not a size
            '[vm]\nmemory = 1024'                        | vm.memory: expected a size string such as "1G", got an integer (1024)
            '[vm]\nmemory = "64M"'                       | vm.memory: "64M" is too small: the minimum is 128M
            '[vm]\nmemory = "1000000.5K"'                | vm.memory: "1000000.5K" is not a whole number of mebibytes
            '[vm]\ndisk = "-8G"'                         | vm.disk: "-8G" is negative
            '[vm]\ndisk = "0G"'                          | vm.disk: "0G" is zero
            '[vm]\ndisk = "8"'                           | vm.disk: "8" has no unit
            '[vm]\ndisk = "900T"'                        | vm.disk: "900T" is absurdly large: the maximum is 64T
            '[vm]\nwarm_machines = 17'                   | vm.warm_machines: 17 is out of range: must be 0..16
            '[agent]\nport = 70000'                      | agent.port: 70000 is out of range: must be 1..65535
            '[agent]\npath = "bin/agent"'                | agent.path: "bin/agent" is not an absolute path
            '[image]\ndefault = "Debian 12"'             | image.default: "Debian 12" is not a valid image name
            '[image]\ndebian_mirror = "deb.example"'     | image.debian_mirror: "deb.example" is not an http, https or file URL
            '[firecracker]\nbinary = "firecracker"'      | firecracker.binary: "firecracker" is not an absolute path
            '[firecracker]\njail = "yes"'                | firecracker.jail: expected true or false, got a string ("yes")
            '[qemu]\nbinary = "qemu; rm -rf /"'          | qemu.binary: "qemu; rm -rf /" is neither a program name
            '[image]\nxbps_install = "xbps; rm -rf /"'   | image.xbps_install: "xbps; rm -rf /" is neither a program name
            '[runtime]\nbundle = "./runtime"'            | runtime.bundle: "./runtime" is not an absolute path
            ping_helper_port = 0                         | ping_helper_port: 0 is out of range: must be 1..65535
            """)
    void invalidValueFailsNamingTheKeyAndTheReason(String toml, String expected) {
        String text = toml.replace("\\n", "\n");

        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.toml: ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(((ConfigException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
    }

    @Test
    void legacyPingHelperKeysSetTheAgentAndWarnNamingTheNewKey() {
        LoadedConfig loaded = parse("""
                ping_helper_path = "/opt/ping-helper"
                ping_helper_port = 4242
                """);

        assertThat(loaded.config().agent()).isEqualTo(new AgentConfig(Optional.of(Path.of("/opt/ping-helper")), 4242));
        assertThat(loaded.warnings()).containsExactly(
                "ping_helper_path is deprecated; rename it to agent.path",
                "ping_helper_port is deprecated; rename it to agent.port");
    }

    @Test
    void legacyPingHelperTableSetsTheAgent() {
        LoadedConfig loaded = parse("""
                [ping_helper]
                path = "/opt/ph"
                port = 777
                """);

        assertThat(loaded.config().agent()).isEqualTo(new AgentConfig(Optional.of(Path.of("/opt/ph")), 777));
        assertThat(loaded.warnings()).containsExactly(
                "ping_helper.path is deprecated; rename it to agent.path",
                "ping_helper.port is deprecated; rename it to agent.port");
    }

    @Test
    void newKeyWinsOverLegacyKeyAndTheWarningSaysTheOldOneWasIgnored() {
        LoadedConfig loaded = parse("""
                ping_helper_port = 4242
                [agent]
                port = 5000
                [ping_helper]
                port = 6000
                """);

        assertThat(loaded.config().agent().port()).isEqualTo(5000);
        assertThat(loaded.warnings()).hasSize(2).allSatisfy(w -> assertThat(w)
                .contains("is deprecated and was ignored because agent.port is also set"));
        assertThat(loaded.warnings().get(0)).contains("ping_helper.port");
        assertThat(loaded.warnings().get(1)).contains("ping_helper_port");
    }

    @Test
    void legacyTableSpellingWinsOverLegacyTopLevelSpelling() {
        LoadedConfig loaded = parse("""
                ping_helper_port = 4242
                [ping_helper]
                port = 6000
                """);

        assertThat(loaded.config().agent().port()).isEqualTo(6000);
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w)
                .contains("ping_helper_port is deprecated and was ignored because ping_helper.port is also set"));
    }

    @Test
    void malformedTomlFailsNamingTheFileAndLine() throws Exception {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, "vmm = \"qemu\"\n[network]\nbridge = \n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + " line 3: not valid TOML");
    }

    @Test
    void duplicateKeyIsMalformedToml() {
        assertThatThrownBy(() -> parse("vmm = \"qemu\"\nlog_level = \"info\"\nvmm = \"auto\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.toml line 3");
    }

    @Test
    void unreadableConfigPathFailsNamingIt() {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file " + dir);
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        Path file = dir.resolve("empty.toml");
        Files.writeString(file, "# nothing yet\n");

        assertThat(ConfigLoader.load(file)).isEqualTo(new LoadedConfig(BangerConfig.defaults(), List.of()));
    }
}
