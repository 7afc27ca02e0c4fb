package dev.banger.guestconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.image.NicBootstrapScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelCommandLineTest {
    private static final String FIRECRACKER_BASE =
            "console=ttyS0 reboot=k panic=1 pci=off i8042.noaux i8042.nomux i8042.dumbkbd root=/dev/vda rw";

    @TempDir
    Path tmp;

    private static GuestConfig typicalGuest() {
        return typicalGuestBuilder().build();
    }

    private static GuestConfigBuilder typicalGuestBuilder() {
        GuestConfigBuilder builder = GuestConfig.builder().hostname("dev1");
        builder.from("network").address("172.30.0.2/24").gateway("172.30.0.1");
        builder.from("dns").resolver("172.30.0.1").resolver("192.0.2.53").searchDomain("banger.internal");
        builder.from("work-disk").mount(new GuestMount("/dev/vdb", "/root", "ext4", List.of("defaults", "noatime")));
        return builder;
    }

    @Test
    void firecrackerLineIsTheBaseThenTheGuestConfig() {
        assertThat(KernelCommandLine.FIRECRACKER.render(typicalGuest())).isEqualTo(FIRECRACKER_BASE
                + " banger.hostname=dev1 banger.ip=172.30.0.2/24 banger.gw=172.30.0.1 banger.dns=172.30.0.1,192.0.2.53"
                + " banger.search=banger.internal banger.mount=/dev/vdb:/root:ext4:defaults,noatime");
    }

    @Test
    void qemuMicrovmUsesTheSameFirecrackerStyleBase() {
        assertThat(String.join(" ", KernelCommandLine.QEMU_MICROVM.baseArgs())).isEqualTo(FIRECRACKER_BASE);
    }

    @Test
    void guestWithoutNetworkGetsOnlyItsHostname() {
        GuestConfig config = GuestConfig.builder().hostname("offline").build();

        assertThat(KernelCommandLine.guestArgs(config)).containsExactly("banger.hostname=offline");
    }

    @Test
    void eachMountIsItsOwnArgumentInMountOrder() {
        GuestConfigBuilder builder = GuestConfig.builder().hostname("dev1");
        builder.mount(GuestMount.withDefaults("/dev/vdc", "/root/cache", "xfs"));
        builder.mount(GuestMount.withDefaults("/dev/vdb", "/root", "ext4"));

        assertThat(KernelCommandLine.guestArgs(builder.build()))
                .containsExactly("banger.hostname=dev1", "banger.mount=/dev/vdb:/root:ext4:defaults", "banger.mount=/dev/vdc:/root/cache:xfs:defaults");
    }

    @Test
    void extraArgumentsComeLastAndMayAddConsolesButNotOverrideTheBase() {
        GuestConfig withConsole = GuestConfig.builder().hostname("a").kernelArg("console=hvc0").kernelArg("rw").kernelArg("quiet").build();

        assertThat(KernelCommandLine.FIRECRACKER.args(withConsole)).endsWith("banger.hostname=a", "console=hvc0", "quiet");

        GuestConfig otherRoot = GuestConfig.builder().hostname("a").from("odd").kernelArg("root=/dev/vdb").build();
        assertThatThrownBy(() -> KernelCommandLine.FIRECRACKER.render(otherRoot))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("root=/dev/vdb")
                .hasMessageContaining("root=/dev/vda");
    }

    @Test
    void baseArgumentsAreConfigurablePerBackendAndValidated() {
        KernelCommandLine pc = KernelCommandLine.withBase(List.of("console=ttyS0", "root=/dev/vda", "rw"));

        assertThat(pc.render(GuestConfig.builder().hostname("a").build())).isEqualTo("console=ttyS0 root=/dev/vda rw banger.hostname=a");
        assertThatThrownBy(() -> KernelCommandLine.withBase(List.of("console=ttyS0 quiet"))).isInstanceOf(GuestConfigException.class);
        assertThatThrownBy(() -> KernelCommandLine.withBase(List.of("banger.hostname=x"))).isInstanceOf(GuestConfigException.class);
    }

    @Test
    void lineLongerThanTheKernelAcceptsIsRefused() {
        GuestConfigBuilder builder = GuestConfig.builder().hostname("a");
        for (int i = 0; i < 40; i++) {
            builder.mount(GuestMount.withDefaults("/dev/vd" + i, "/mnt/a-rather-long-mount-point-name-number-" + i, "ext4"));
        }
        GuestConfig config = builder.build();

        assertThatThrownBy(() -> KernelCommandLine.FIRECRACKER.render(config))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("limit of " + KernelCommandLine.MAX_LENGTH);
    }

    @Test
    void everyArgumentIsOneWordSoTheGuestSplitsItBack() {
        List<String> args = KernelCommandLine.FIRECRACKER.args(typicalGuest());

        assertThat(KernelCommandLine.FIRECRACKER.render(typicalGuest()).split(" ")).containsExactlyElementsOf(args);
    }

    @Test
    void nicBootstrapScriptConfiguresExactlyWhatTheLineSays() throws IOException {
        GuestConfig config = typicalGuestBuilder().iface("eth0").build();
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), KernelCommandLine.FIRECRACKER.render(config) + "\n");
        Path resolv = tmp.resolve("resolv.conf");
        Path script = Files.writeString(tmp.resolve("banger-net-setup"), NicBootstrapScript.text());

        CommandResult result = new ProcessHostCommands().run(Command.of("dash", script.toString())
                .withEnv(Map.of("BANGER_NET_DRY_RUN", "1", "BANGER_CMDLINE", cmdline.toString(), "BANGER_RESOLV", resolv.toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.stdout()).isEqualTo("""
                hostname dev1
                ip link set dev lo up
                ip link set dev eth0 up
                ip -4 address flush dev eth0
                ip address replace 172.30.0.2/24 dev eth0
                ip route replace default via 172.30.0.1 dev eth0
                """);
        assertThat(Files.readString(resolv)).isEqualTo("nameserver 172.30.0.1\nnameserver 192.0.2.53\n");
    }

    @Test
    void theConfigDriveWinsOverTheCommandLineAndSetsTheMacBeforeTheLinkComesUp() throws IOException {
        // A warm machine: started with a generic command line, told who it is on the config drive.
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), "console=ttyS0 root=/dev/vda rw banger.hostname=warm-1\n");
        GuestConfig config = typicalGuestBuilder().iface("eth0").build();
        Path drive = Files.write(tmp.resolve("config.img"), ConfigDrive.content(config, "02:fc:00:00:00:07"));
        Path resolv = tmp.resolve("resolv.conf");
        Path script = Files.writeString(tmp.resolve("banger-net-setup"), NicBootstrapScript.text());

        CommandResult result = new ProcessHostCommands().run(Command.of("dash", script.toString())
                .withEnv(Map.of("BANGER_NET_DRY_RUN", "1", "BANGER_CMDLINE", cmdline.toString(), "BANGER_CONFIG_DRIVE",
                        drive.toString(), "BANGER_RESOLV", resolv.toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.stdout()).isEqualTo("""
                hostname dev1
                ip link set dev lo up
                ip link set dev eth0 address 02:fc:00:00:00:07
                ip link set dev eth0 up
                ip -4 address flush dev eth0
                ip address replace 172.30.0.2/24 dev eth0
                ip route replace default via 172.30.0.1 dev eth0
                """);
        assertThat(Files.readString(resolv)).isEqualTo("nameserver 172.30.0.1\nnameserver 192.0.2.53\n");
    }

    @Test
    void nicBootstrapScriptHonoursTheInterfaceArgument() throws IOException {
        GuestConfig config = GuestConfig.builder().hostname("a").address("172.30.0.5/24").iface("enp0s3").build();
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), KernelCommandLine.FIRECRACKER.render(config) + "\n");
        Path script = Files.writeString(tmp.resolve("banger-net-setup"), NicBootstrapScript.text());

        CommandResult result = new ProcessHostCommands().run(Command.of("dash", script.toString())
                .withEnv(Map.of("BANGER_NET_DRY_RUN", "1", "BANGER_CMDLINE", cmdline.toString(), "BANGER_RESOLV", tmp.resolve("r").toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.stdout()).isEqualTo("""
                hostname a
                ip link set dev lo up
                ip link set dev enp0s3 up
                ip -4 address flush dev enp0s3
                ip address replace 172.30.0.5/24 dev enp0s3
                """);
    }
}
