package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.config.ConfigLoader;
import dev.banger.config.VmmChoice;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that look for programs and device nodes, against the recording fake and a pretend root. */
class ToolChecksTest {
    @TempDir
    Path temp;

    private TestHost machine;
    private final BangerConfig auto = BangerConfig.defaults();

    @BeforeEach
    void setUp() {
        machine = new TestHost(temp).touch("/proc/sys/kernel/osrelease", "6.18.44-test\n");
    }

    private static BangerConfig config(String toml) {
        return ConfigLoader.parse(toml, "test.toml").config();
    }

    // firecracker

    @Test
    void firecrackerOnPathReportsItsVersion() {
        machine.touch("/dev/kvm");
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("firecracker")
                .answer(List.of("firecracker", "--version"), 0, "Firecracker v1.13.1\n\nSupported snapshot data format versions: 6.0.0\n", "");

        CheckResult result = new FirecrackerCheck(machine.context(host, auto)).run();

        // With no guest kernel to test KVM with, whether this host can run it stays open.
        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).startsWith("Firecracker v1.13.1 (firecracker); whether this host's KVM can run its guests is not known");
    }

    @Test
    void missingFirecrackerWarnsUnlessItIsConfigured() {
        CheckResult warn = new FirecrackerCheck(machine.context(new RecordingHostCommands(), auto)).run();
        CheckResult fail = new FirecrackerCheck(machine.context(new RecordingHostCommands(),
                auto.withVmm(VmmChoice.FIRECRACKER))).run();

        assertThat(warn.status()).isEqualTo(CheckStatus.WARN);
        assertThat(warn.detail()).contains("not on PATH").contains("QEMU instead");
        assertThat(warn.remedy()).contains("banger runtime bootstrap");
        assertThat(fail.status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void configuredFirecrackerPathThatIsNotExecutableIsNamed() {
        BangerConfig c = config("[firecracker]\nbinary = \"/nonexistent/firecracker\"\n");

        CheckResult result = new FirecrackerCheck(machine.context(new RecordingHostCommands().withPrograms("firecracker"), c)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("firecracker.binary = \"/nonexistent/firecracker\" is not an executable file");
    }

    @Test
    void configuredExecutableFirecrackerIsRunByPath() throws Exception {
        Path binary = temp.resolve("firecracker");
        Files.writeString(binary, "#!/bin/sh\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
        RecordingHostCommands host = new RecordingHostCommands()
                .answer(List.of(binary.toString(), "--version"), 0, "Firecracker v1.13.1\n", "");

        CheckResult result = new FirecrackerCheck(machine.context(host,
                config("[firecracker]\nbinary = \"" + binary + "\"\n"))).run();

        assertThat(result.detail()).startsWith("Firecracker v1.13.1 (" + binary + ")");
        assertThat(host.recorded()).containsExactly(List.of(binary.toString(), "--version"));
    }

    @Test
    void firecrackerThatFailsToRunIsReported() {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("firecracker")
                .answer(List.of("firecracker", "--version"), 126, "", "cannot execute binary file");

        CheckResult result = new FirecrackerCheck(machine.context(host, auto)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("status 126").contains("cannot execute binary file");
    }

    // qemu

    @Test
    void qemuReportsItsVersion() {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("qemu-system-x86_64", "qemu-img")
                .answer(List.of("qemu-system-x86_64", "--version"), 0, "QEMU emulator version 7.2.22 (Debian)\nCopyright\n", "");

        CheckResult result = new QemuCheck(machine.context(host, auto)).run();

        assertThat(result).isEqualTo(CheckResult.ok("qemu", "QEMU emulator version 7.2.22 (Debian)"));
    }

    @Test
    void missingQemuFailsWhenNoOtherVmmIsLeft() {
        CheckResult autoWithoutFirecracker = new QemuCheck(machine.context(new RecordingHostCommands(), auto)).run();
        CheckResult configured = new QemuCheck(machine.context(new RecordingHostCommands().withPrograms("firecracker"),
                auto.withVmm(VmmChoice.QEMU))).run();
        CheckResult firecrackerAvailable = new QemuCheck(machine.context(
                new RecordingHostCommands().withPrograms("firecracker"), auto)).run();

        assertThat(autoWithoutFirecracker.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(autoWithoutFirecracker.detail()).contains("no VM can start");
        assertThat(autoWithoutFirecracker.remedy()).isEqualTo("apt-get install qemu-system-x86");
        assertThat(configured.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(configured.detail()).contains("vmm = \"qemu\"");
        assertThat(firecrackerAvailable.status()).isEqualTo(CheckStatus.WARN);
    }

    @Test
    void qemuWithoutQemuImgWarnsAboutOverlays() {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("qemu-system-x86_64")
                .answer(List.of("qemu-system-x86_64", "--version"), 0, "QEMU emulator version 7.2.22\n", "");

        CheckResult result = new QemuCheck(machine.context(host, auto)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.remedy()).isEqualTo("apt-get install qemu-utils");
    }

    // tun, bridge

    @Test
    void tunIsOkOnlyWhenTheDeviceExists() {
        RecordingHostCommands host = new RecordingHostCommands();
        CheckResult missing = new TunCheck(machine.context(host, auto)).run();
        machine.touch("/dev/net/tun");
        CheckResult present = new TunCheck(machine.context(host, auto)).run();

        assertThat(missing.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(missing.remedy()).contains("modprobe tun");
        assertThat(present.status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void hostNamesAreOkWhereResolvedRunsAndOtherwiseDoctorSaysHowToPointTheResolverAtTheBridge() {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("resolvectl");
        CheckResult without = new HostNamesCheck(machine.context(host, auto)).run();
        machine.mkdir("/run/systemd/resolve");
        CheckResult with = new HostNamesCheck(machine.context(host, auto)).run();

        String gateway = auto.network().subnet().gateway();
        String domain = auto.network().domain();
        assertThat(without.status()).isEqualTo(CheckStatus.WARN);
        assertThat(without.remedy()).contains("server=/" + domain + "/" + gateway, "dig @" + gateway);
        assertThat(with.status()).isEqualTo(CheckStatus.OK);
        assertThat(with.detail()).contains("~" + domain, auto.network().bridge(), gateway);
        assertThat(host.recorded()).as("it runs nothing").isEmpty();
    }

    @Test
    void loadedBridgeModuleIsOkWithoutRunningAnything() {
        machine.mkdir("/sys/module/bridge");
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("modprobe");

        CheckResult result = new BridgeCheck(machine.context(host, auto)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void builtInBridgeIsOk() {
        machine.touch("/lib/modules/6.18.44-test/modules.builtin", "kernel/net/ipv4/tcp_cubic.ko\nkernel/net/bridge/bridge.ko\n");

        assertThat(new BridgeCheck(machine.context(new RecordingHostCommands(), auto)).run().detail()).contains("built into");
    }

    @Test
    void loadableBridgeModuleIsFoundByADryRunOnly() {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("modprobe");

        CheckResult result = new BridgeCheck(machine.context(host, auto)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(host.recorded()).containsExactly(List.of("modprobe", "--dry-run", "--quiet", "bridge"));
    }

    @Test
    void noBridgeSupportFailsNamingTheKernel() {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("modprobe")
                .answer(List.of("modprobe"), 1, "", "modprobe: FATAL: Module bridge not found");

        CheckResult result = new BridgeCheck(machine.context(host, auto)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("6.18.44-test");
    }

    // firewall

    @Test
    void autoNatPrefersNftables() {
        RecordingHostCommands host = new RecordingHostCommands().withPrograms("nft", "iptables")
                .answer(List.of("nft", "--version"), 0, "nftables v1.0.6 (Lester Gooch #5)\n", "")
                .answer(List.of("iptables", "--version"), 0, "iptables v1.8.9 (nf_tables)\n", "");

        assertThat(new FirewallCheck(machine.context(host, auto)).run())
                .isEqualTo(CheckResult.ok("firewall", "NAT through nftables: nftables v1.0.6 (Lester Gooch #5)"));
    }

    @Test
    void autoNatFallsBackToIptablesAndWarnsWithNeither() {
        RecordingHostCommands iptablesOnly = new RecordingHostCommands().withPrograms("iptables")
                .answer(List.of("iptables", "--version"), 0, "iptables v1.8.9 (nf_tables)\n", "");

        assertThat(new FirewallCheck(machine.context(iptablesOnly, auto)).run().detail()).contains("iptables v1.8.9");
        CheckResult neither = new FirewallCheck(machine.context(new RecordingHostCommands(), auto)).run();
        assertThat(neither.status()).isEqualTo(CheckStatus.WARN);
        assertThat(neither.detail()).contains("no internet access");
    }

    @Test
    void explicitlyConfiguredMissingNatBackendFails() {
        RecordingHostCommands iptablesOnly = new RecordingHostCommands().withPrograms("iptables");

        CheckResult result = new FirewallCheck(machine.context(iptablesOnly, config("[network]\nnat = \"nftables\"\n"))).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.remedy()).contains("apt-get install nftables");
    }

    @Test
    void natOffNeedsNoFirewallTools() {
        CheckResult result = new FirewallCheck(machine.context(new RecordingHostCommands(), config("[network]\nnat = \"off\"\n"))).run();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
    }

    // device-mapper, programs

    @Test
    void deviceMapperNeedsBothTheControlNodeAndDmsetup() {
        RecordingHostCommands withDmsetup = new RecordingHostCommands().withPrograms("dmsetup");

        CheckResult noControl = new DeviceMapperCheck(machine.context(withDmsetup, auto)).run();
        machine.touch("/dev/mapper/control");
        CheckResult both = new DeviceMapperCheck(machine.context(withDmsetup, auto)).run();

        assertThat(noControl.status()).isEqualTo(CheckStatus.WARN);
        assertThat(noControl.detail()).contains("/dev/mapper/control is missing").contains("fall back");
        assertThat(noControl.remedy()).contains("modprobe dm_snapshot").doesNotContain("dmsetup");
        assertThat(both.status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void programsCheckNamesOnlyTheMissingPrograms() {
        ProgramsCheck check = new ProgramsCheck("e2fsprogs",
                machine.context(new RecordingHostCommands().withPrograms("mkfs.ext4"), auto),
                List.of("mkfs.ext4", "resize2fs", "e2fsck"), CheckStatus.FAIL, "disks cannot be created or grown",
                "apt-get install e2fsprogs");

        assertThat(check.run()).isEqualTo(CheckResult.fail("e2fsprogs",
                "resize2fs, e2fsck are missing, so disks cannot be created or grown", "apt-get install e2fsprogs"));
    }

    @Test
    void standardDebootstrapCheckOnlyWarns() {
        DoctorContext ctx = machine.context(new RecordingHostCommands(), auto);
        Check debootstrap = Doctor.standardChecks(ctx).stream().filter(c -> c.name().equals("debootstrap")).findFirst().orElseThrow();

        CheckResult result = debootstrap.run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.remedy()).isEqualTo("apt-get install debootstrap");
    }
}
