package dev.banger.guestconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.image.HostKeysScript;
import dev.banger.image.NicBootstrapScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDriveTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();
    private static final String MAC = "02:fc:00:00:00:07";

    @TempDir
    Path tmp;

    private String hostKey() throws IOException {
        Path key = tmp.resolve("host_key");
        HOST.run(Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dev1", "-f", key.toString()));
        return Files.readString(key);
    }

    private static String text(byte[] drive) {
        int end = 0;
        while (end < drive.length && drive[end] != 0) {
            end++;
        }
        return new String(drive, 0, end, StandardCharsets.UTF_8);
    }
    @Test
    void theDriveIsOneLineOfTheGuestArgumentsAndTheMacThenZeros() {
        GuestConfig config = GuestConfig.builder().hostname("dev1").address("172.30.0.2/24").gateway("172.30.0.1").build();

        byte[] drive = ConfigDrive.content(config, "02:fc:00:00:00:07");

        String expected = String.join(" ", KernelCommandLine.guestArgs(config)) + " banger.mac=02:fc:00:00:00:07\n";
        assertThat(drive).hasSize(ConfigDrive.SIZE);
        assertThat(new String(drive, 0, expected.length(), StandardCharsets.UTF_8)).isEqualTo(expected)
                .startsWith("banger.hostname=dev1 banger.ip=172.30.0.2/24 banger.gw=172.30.0.1 ");
        assertThat(Arrays.copyOfRange(drive, expected.length(), drive.length)).containsOnly(0);
    }

    @Test
    void anUnaddressedDriveCarriesOnlyTheMountsThenTheHostKey() throws IOException {
        String key = hostKey();
        GuestMount work = GuestMount.withDefaults("LABEL=banger-work", "/root", "ext4");

        String[] lines = text(ConfigDrive.unaddressed(java.util.List.of(work), key)).split("\n", -1);

        assertThat(lines).hasSize(3);
        assertThat(lines[0]).isEqualTo("banger.mount=LABEL=banger-work:/root:ext4:defaults");
        assertThat(lines[1]).startsWith(ConfigDrive.HOST_KEY_WORD + "=");
        assertThat(text(ConfigDrive.unaddressed(java.util.List.of(), key))).isEqualTo(text(ConfigDrive.hostKeyOnly(key)))
                .startsWith("\n" + ConfigDrive.HOST_KEY_WORD + "=");
    }

    @Test
    void aMacTheGuestCouldNotSetIsRefused() {
        GuestConfig config = GuestConfig.builder().hostname("dev1").build();

        assertThatThrownBy(() -> ConfigDrive.content(config, "02:FC:00:00:00:07 banger.ip=1.2.3.4/8"))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("MAC '02:FC:00:00:00:07 banger.ip=1.2.3.4/8'");
    }

    @Test
    void settingsLongerThanTheDriveAreRefused() {
        GuestConfigBuilder builder = GuestConfig.builder().hostname("dev1");
        for (int i = 0; i < 80; i++) {
            builder.mount(new GuestMount("/dev/vd" + (char) ('b' + i % 20), "/mnt/data-volume-number-" + i, "ext4",
                    java.util.List.of("defaults")));
        }
        GuestConfig config = builder.build();

        assertThatThrownBy(() -> ConfigDrive.content(config, "02:fc:00:00:00:07"))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("more than the config drive's 4096");
    }

    @Test
    void aHostKeyIsASecondLineOfItsTextInBase64() throws IOException {
        GuestConfig config = GuestConfig.builder().hostname("dev1").address("172.30.0.2/24").gateway("172.30.0.1").build();
        String key = hostKey();

        byte[] drive = ConfigDrive.content(config, MAC, key);

        String[] lines = text(drive).split("\n", -1);
        assertThat(drive).hasSize(ConfigDrive.SIZE);
        assertThat(lines).hasSize(3);
        assertThat(lines[0] + "\n").isEqualTo(text(ConfigDrive.content(config, MAC)));
        assertThat(lines[1]).startsWith("banger.host_key_ed25519=").doesNotContain(" ");
        assertThat(new String(Base64.getDecoder().decode(lines[1].substring("banger.host_key_ed25519=".length())), StandardCharsets.UTF_8))
                .isEqualTo(key);
        assertThat(lines[2]).isEmpty();
        assertThat(text(ConfigDrive.content(config, MAC, null))).isEqualTo(text(ConfigDrive.content(config, MAC)));
    }

    @Test
    void aKeyThatIsNotOpenSshPrivateKeyTextIsRefused() throws IOException {
        GuestConfig config = GuestConfig.builder().hostname("dev1").build();
        hostKey();
        String publicKey = Files.readString(tmp.resolve("host_key.pub"));

        assertThatThrownBy(() -> ConfigDrive.content(config, MAC, publicKey))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("not OpenSSH private-key text");
    }

    @Test
    void aKeyThatNoLongerFitsBesideTheSettingsIsRefused() throws IOException {
        String key = hostKey();
        int keyLine = text(ConfigDrive.content(GuestConfig.builder().hostname("a").build(), MAC, key)).length()
                - text(ConfigDrive.content(GuestConfig.builder().hostname("a").build(), MAC)).length();
        // Mounts until the settings leave less room than the key line takes (each mount is far shorter than the key).
        GuestConfigBuilder builder = GuestConfig.builder().hostname("dev1");
        GuestConfig config = builder.build();
        for (int i = 0; text(ConfigDrive.content(config, MAC)).length() <= ConfigDrive.SIZE - keyLine; i++) {
            builder.mount(new GuestMount("/dev/vd" + (char) ('b' + i % 20), "/mnt/data-volume-number-" + i, "ext4",
                    java.util.List.of("defaults")));
            config = builder.build();
        }
        GuestConfig full = config;

        assertThat(keyLine).isBetween(500, 700);
        assertThatThrownBy(() -> ConfigDrive.content(full, MAC, key))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("more than the config drive's 4096");
    }

    @Test
    void theGuestsHostKeyScriptInstallsTheDrivesKeyAndItsNicScriptStillReadsOnlyTheFirstLine() throws IOException {
        GuestConfig config = GuestConfig.builder().hostname("dev1").address("172.30.0.2/24").gateway("172.30.0.1").iface("eth0").build();
        String key = hostKey();
        Path drive = Files.write(tmp.resolve("config.img"), ConfigDrive.content(config, MAC, key));
        Path ssh = Files.createDirectories(tmp.resolve("etc-ssh"));
        Path keysScript = Files.writeString(tmp.resolve("banger-host-keys"), HostKeysScript.text());
        Path netScript = Files.writeString(tmp.resolve("banger-net-setup"), NicBootstrapScript.text());
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), "console=ttyS0 root=/dev/vda rw\n");

        CommandResult keys = HOST.exec(Command.of("dash", keysScript.toString())
                .withEnv(Map.of("BANGER_CONFIG_DRIVE", drive.toString(), "BANGER_SSH_DIR", ssh.toString()))
                .withTimeout(Duration.ofSeconds(20)));
        CommandResult net = HOST.run(Command.of("dash", netScript.toString())
                .withEnv(Map.of("BANGER_NET_DRY_RUN", "1", "BANGER_CMDLINE", cmdline.toString(), "BANGER_CONFIG_DRIVE", drive.toString(),
                        "BANGER_RESOLV", tmp.resolve("resolv.conf").toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(HostKeysScript.DRIVE_WORD).isEqualTo(ConfigDrive.HOST_KEY_WORD);
        assertThat(keys.exitCode()).as(keys.stderr()).isZero();
        assertThat(Files.readString(ssh.resolve("ssh_host_ed25519_key"))).isEqualTo(key);
        assertThat(net.stdout()).isEqualTo("""
                hostname dev1
                ip link set dev lo up
                ip link set dev eth0 address 02:fc:00:00:00:07
                ip link set dev eth0 up
                ip -4 address flush dev eth0
                ip address replace 172.30.0.2/24 dev eth0
                ip route replace default via 172.30.0.1 dev eth0
                """);
    }
}
