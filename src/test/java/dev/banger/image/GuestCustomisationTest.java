package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestCustomisationTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKs2cHRlc3RrZXl0ZXN0a2V5 banger-runtime";

    @TempDir
    Path tmp;

    private static CustomisationPlan plan(Distro distro, Profile profile) {
        return GuestCustomisation.plan(new CustomisationInputs(distro, profile, KEY + "\n", 10000, "0.15.2", "2025.1.6"));
    }

    @Test
    void sshdAllowsRootByPublicKeyOnly() {
        String dropIn = plan(Distro.DEBIAN, Profile.MINIMAL).file("/etc/ssh/sshd_config.d/50-banger.conf").orElseThrow().content();

        assertThat(dropIn).contains("PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no");
    }

    @Test
    void authorizedKeysIsPrivateToRootAndHoldsTheBundleKey() {
        CustomisationPlan plan = plan(Distro.DEBIAN, Profile.MINIMAL);

        GuestFile keys = plan.file("/root/.ssh/authorized_keys").orElseThrow();
        assertThat(keys.mode()).isEqualTo(0600);
        assertThat(keys.content()).isEqualTo(KEY + "\n");
        assertThat(plan.directories()).contains(new GuestDirectory("/root/.ssh", 0700));
    }

    @Test
    void noHostKeyIsWrittenAndHostKeysAreClearedBeforeSealing() {
        for (Distro distro : Distro.values()) {
            CustomisationPlan plan = plan(distro, Profile.DEV);

            assertThat(plan.files()).noneMatch(f -> f.path().startsWith("/etc/ssh/ssh_host_"));
            assertThat(plan.cleanupPaths()).contains(new CleanupPath("/etc/ssh/ssh_host_*", CleanupPath.Action.DELETE));
        }
    }

    @Test
    void debianSetsItsHostKeyBeforeSshdAtEveryBoot() {
        CustomisationPlan plan = plan(Distro.DEBIAN, Profile.MINIMAL);

        String unit = plan.file("/etc/systemd/system/banger-ssh-hostkeys.service").orElseThrow().content();
        // No condition on missing keys: a key on the config drive replaces the one the guest has.
        assertThat(unit).contains("ExecStart=/usr/local/sbin/banger-host-keys", "Before=ssh.service").doesNotContain("Condition");
        assertThat(plan.enableServices()).contains("banger-ssh-hostkeys.service", "ssh.service");
    }

    @Test
    void voidSetsItsHostKeyInStageOneAndSshdMakesNoKeysOfItsOwn() {
        CustomisationPlan plan = plan(Distro.VOID, Profile.MINIMAL);

        assertThat(plan.file("/etc/runit/core-services/51-banger-ssh-hostkeys.sh").orElseThrow().content())
                .contains("/usr/local/sbin/banger-host-keys || echo");
        GuestFile run = plan.file("/etc/sv/sshd/run").orElseThrow();
        assertThat(run.mode()).isEqualTo(0755);
        assertThat(run.content()).contains("exec /usr/bin/sshd -D").doesNotContain("ssh-keygen -A");
    }

    @Test
    void everyImageHasTheHostKeyAndIdentityScriptsAndSshdLoadsOnlyTheEd25519Key() {
        for (Distro distro : Distro.values()) {
            CustomisationPlan plan = plan(distro, Profile.MINIMAL);

            assertThat(plan.file("/usr/local/sbin/banger-identity-apply").orElseThrow())
                    .isEqualTo(new GuestFile(IdentityApplyScript.PATH, 0755, IdentityApplyScript.text()));
            assertThat(plan.file("/usr/local/sbin/banger-host-keys").orElseThrow())
                    .isEqualTo(new GuestFile(HostKeysScript.PATH, 0755, HostKeysScript.text()));
            assertThat(plan.file("/usr/local/sbin/banger-net-setup").orElseThrow().mode()).isEqualTo(0755);
            String dropIn = plan.file("/etc/ssh/sshd_config.d/50-banger.conf").orElseThrow().content();
            assertThat(dropIn.lines().filter(l -> l.startsWith("HostKey "))).as(distro.toString())
                    .containsExactly("HostKey /etc/ssh/ssh_host_ed25519_key");
        }
    }

    @Test
    void theAgentStartsBeforeTheUsualBootOrderingOnItsPort() {
        CustomisationPlan plan = plan(Distro.DEBIAN, Profile.MINIMAL);

        String unit = plan.file("/etc/systemd/system/banger-agent.service").orElseThrow().content();
        assertThat(unit).contains("DefaultDependencies=no", "Before=sysinit.target network-pre.target ssh.service",
                "ExecStart=/usr/local/bin/banger-agent --port 10000");
        assertThat(plan.enableServices()).first().isEqualTo("banger-agent.service");
    }

    @Test
    void devImagesServeOpencodeOnPort4096AndActivateMise() {
        CustomisationPlan plan = plan(Distro.DEBIAN, Profile.DEV);

        assertThat(plan.file("/etc/systemd/system/opencode.service").orElseThrow().content())
                .contains("ExecStart=/usr/local/bin/opencode serve --hostname 0.0.0.0 --port 4096");
        assertThat(plan.enableServices()).contains("opencode.service");
        assertThat(plan.file("/root/.bashrc").orElseThrow().content()).contains("eval \"$(mise activate bash)\"");
        assertThat(plan.file("/etc/profile.d/mise.sh")).isPresent();
        assertThat(plan.chrootCommands()).anySatisfy(c -> assertThat(c).contains("npm", "opencode-ai@0.15.2"))
                .anySatisfy(c -> assertThat(c).contains("@jdxcode/mise@2025.1.6"));
    }

    @Test
    void minimalImagesHaveNeitherOpencodeNorMise() {
        CustomisationPlan plan = plan(Distro.DEBIAN, Profile.MINIMAL);

        assertThat(plan.files()).noneMatch(f -> f.path().contains("opencode") || f.path().contains("mise"));
        assertThat(plan.file("/root/.bashrc").orElseThrow().content()).doesNotContain("mise").contains("export PATH=", "PS1=");
        assertThat(plan.chrootCommands()).isEmpty();
        assertThat(plan.enableServices()).doesNotContain("opencode.service");
    }

    @Test
    void voidGetsRunitServicesInsteadOfSystemdUnits() {
        CustomisationPlan plan = plan(Distro.VOID, Profile.DEV);

        assertThat(plan.files()).noneMatch(f -> f.path().startsWith("/etc/systemd/"));
        assertThat(plan.file("/etc/sv/banger-agent/run").orElseThrow().mode()).isEqualTo(0755);
        assertThat(plan.file("/etc/sv/opencode/run").orElseThrow().content()).contains("--port 4096");
        assertThat(plan.enableServices()).containsExactly("banger-agent", "sshd", "opencode");
        assertThat(plan.cleanupPaths()).extracting(CleanupPath::pattern).contains("/var/cache/xbps/*").doesNotContain("/var/lib/apt/lists/*");
    }

    @Test
    void theFstabHasOnlyTheRootDiskAndTheMountsScriptMountsRootBeforeSshdAndOpencode() {
        CustomisationPlan debian = plan(Distro.DEBIAN, Profile.DEV);
        String fstab = debian.file("/etc/fstab").orElseThrow().content();
        assertThat(fstab.lines().filter(line -> !line.startsWith("#"))).containsExactly("/dev/vda  /  ext4  defaults  0 1");
        assertThat(debian.file(MountsScript.PATH).orElseThrow()).isEqualTo(new GuestFile(MountsScript.PATH, 0755, MountsScript.text()));
        assertThat(debian.file("/etc/systemd/system/banger-mounts.service").orElseThrow().content())
                .contains("ExecStart=" + MountsScript.PATH, "Before=local-fs.target ssh.service opencode.service",
                        "WantedBy=local-fs.target");
        assertThat(debian.file("/etc/systemd/system/ssh.service.d/50-banger-mounts.conf").orElseThrow().content())
                .isEqualTo("[Unit]\nWants=banger-mounts.service\nAfter=banger-mounts.service\n");
        assertThat(debian.file("/etc/systemd/system/opencode.service").orElseThrow().content())
                .contains("After=network.target banger-net.service banger-mounts.service\nWants=banger-mounts.service\n");
        assertThat(debian.enableServices()).contains("banger-mounts.service");
        assertThat(debian.files()).noneMatch(f -> f.content().contains("x-systemd") || f.content().contains("root.mount"));

        CustomisationPlan voidPlan = plan(Distro.VOID, Profile.MINIMAL);
        assertThat(voidPlan.file("/etc/fstab").orElseThrow().content()).isEqualTo(fstab);
        assertThat(voidPlan.file(MountsScript.PATH)).isPresent();
        // Stage 1 sources it after Void's 03-filesystems, before runit starts sshd in stage 2.
        assertThat(voidPlan.file("/etc/runit/core-services/52-banger-mounts.sh").orElseThrow().content())
                .contains(MountsScript.PATH + " || echo");
        assertThat(voidPlan.files()).noneMatch(f -> f.path().contains("grow-work"));
    }

    @Test
    void machineIdIsTruncatedNotDeleted() {
        assertThat(GuestCustomisation.cleanupPaths(Distro.DEBIAN))
                .contains(new CleanupPath("/etc/machine-id", CleanupPath.Action.TRUNCATE),
                        new CleanupPath("/var/lib/dbus/machine-id", CleanupPath.Action.DELETE),
                        new CleanupPath("/var/lib/apt/lists/*", CleanupPath.Action.DELETE),
                        new CleanupPath("/var/log/*", CleanupPath.Action.DELETE),
                        new CleanupPath("/tmp/*", CleanupPath.Action.DELETE),
                        new CleanupPath("/root/.bash_history", CleanupPath.Action.DELETE));
    }

    @Test
    void badInputsAreRejectedBeforeAnythingIsPlanned() {
        assertThatThrownBy(() -> new CustomisationInputs(Distro.DEBIAN, Profile.DEV, " ", 10000, "1.0.0", "1.0.0"))
                .isInstanceOf(ImageException.class).hasMessageContaining("public key");
        assertThatThrownBy(() -> new CustomisationInputs(Distro.DEBIAN, Profile.DEV,
                "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", 10000, "1.0.0", "1.0.0"))
                .isInstanceOf(ImageException.class).hasMessageContaining("private key");
        assertThatThrownBy(() -> new CustomisationInputs(Distro.DEBIAN, Profile.DEV, KEY, 10000, "latest", "1.0.0"))
                .isInstanceOf(ImageException.class).hasMessageContaining("opencode version 'latest' is not pinned");
        assertThatThrownBy(() -> new CustomisationInputs(Distro.DEBIAN, Profile.DEV, KEY, 0, "1.0.0", "1.0.0"))
                .isInstanceOf(ImageException.class).hasMessageContaining("agent port");
    }

    @Test
    void everyPlannedShellScriptIsValidPosixSh() throws IOException {
        var host = new ProcessHostCommands();
        int checked = 0;
        for (Distro distro : Distro.values()) {
            for (GuestFile file : plan(distro, Profile.DEV).files()) {
                boolean shell = file.content().startsWith("#!/bin/sh") || file.path().endsWith(".sh") || file.path().endsWith("/.profile");
                if (!shell) {
                    continue;
                }
                Path script = Files.writeString(tmp.resolve("script"), file.content());
                CommandResult result = host.exec(Command.of("dash", "-n", script.toString()).withTimeout(Duration.ofSeconds(10)));
                assertThat(result.exitCode()).as(distro + " " + file.path() + ": " + result.stderr()).isZero();
                checked++;
            }
        }
        assertThat(checked).as("NIC, host key and identity scripts, mise profile, .profile, runit scripts and hooks").isGreaterThanOrEqualTo(16);
    }

    @Test
    void nicScriptReadsTheLastValueOfEachParameterFromTheCommandLine() throws IOException {
        Path cmdline = Files.writeString(tmp.resolve("cmdline"),
                "console=ttyS0 banger.ip=10.0.0.1/24 reboot=k banger.ip=172.16.0.2/24 banger.gw=172.16.0.1 *\n");
        Path script = Files.writeString(tmp.resolve("net"), NicBootstrapScript.text());

        CommandResult result = new ProcessHostCommands().run(Command.of("dash", "-c",
                        ". \"$0\"; banger_param banger.ip; banger_param banger.gw; banger_param banger.dns; banger_param '*'",
                        script.toString())
                .withEnv(Map.of("BANGER_NET_LIB", "1", "BANGER_CMDLINE", cmdline.toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.stdout()).isEqualTo("172.16.0.2/24\n172.16.0.1\n\n\n");
    }

    @Test
    void nicScriptConfiguresAddressRouteAndDns() throws IOException {
        Path cmdline = Files.writeString(tmp.resolve("cmdline"),
                "root=/dev/vda rw banger.iface=eth0 banger.ip=172.16.0.2/24 banger.gw=172.16.0.1 banger.dns=172.16.0.1,1.1.1.1\n");
        Path resolv = tmp.resolve("resolv.conf");
        Path script = Files.writeString(tmp.resolve("net"), NicBootstrapScript.text());

        CommandResult result = new ProcessHostCommands().run(Command.of("dash", script.toString())
                .withEnv(Map.of("BANGER_NET_DRY_RUN", "1", "BANGER_CMDLINE", cmdline.toString(), "BANGER_RESOLV", resolv.toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.stdout()).isEqualTo("""
                ip link set dev lo up
                ip link set dev eth0 up
                ip -4 address flush dev eth0
                ip address replace 172.16.0.2/24 dev eth0
                ip route replace default via 172.16.0.1 dev eth0
                """);
        assertThat(Files.readString(resolv)).isEqualTo("nameserver 172.16.0.1\nnameserver 1.1.1.1\n");
    }

    @Test
    void nicScriptNamesTheGuestAfterTheVmBeforeTouchingTheNetwork() throws IOException {
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), "banger.hostname=dev1 banger.iface=eth0 banger.ip=172.16.0.2/24\n");
        Path script = Files.writeString(tmp.resolve("net"), NicBootstrapScript.text());

        CommandResult result = new ProcessHostCommands().run(Command.of("dash", script.toString())
                .withEnv(Map.of("BANGER_NET_DRY_RUN", "1", "BANGER_CMDLINE", cmdline.toString(), "BANGER_RESOLV", tmp.resolve("r").toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.stdout()).startsWith("hostname dev1\nip link set dev lo up\n");
    }

    @Test
    void nicScriptRefusesAnAddressWithoutPrefix() throws IOException {
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), "banger.iface=eth0 banger.ip=172.16.0.2\n");
        Path script = Files.writeString(tmp.resolve("net"), NicBootstrapScript.text());

        CommandResult result = new ProcessHostCommands().exec(Command.of("dash", script.toString())
                .withEnv(Map.of("BANGER_NET_DRY_RUN", "1", "BANGER_CMDLINE", cmdline.toString(), "BANGER_RESOLV", tmp.resolve("r").toString()))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("has no /prefix");
        assertThat(result.stdout()).doesNotContain("address");
    }
}
