package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the identity script with dash on the host: dry runs print its steps, fake tools stand in for the guest's. */
class IdentityApplyScriptTest {
    private static final String IDENTITY = "banger.hostname=dev7 banger.ip=172.30.0.9/24 banger.gw=172.30.0.1"
            + " banger.dns=172.30.0.1,192.0.2.53 banger.mac=02:fc:00:00:00:09\n";

    @TempDir
    Path tmp;
    private Path script;
    private Path cmdline;
    private Path mounts;
    private Path systemd;
    private Path resolv;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void guest() throws IOException {
        script = Files.writeString(tmp.resolve("banger-identity-apply"), IdentityApplyScript.text());
        Path net = Files.writeString(tmp.resolve("banger-net-setup"), NicBootstrapScript.text());
        Files.setPosixFilePermissions(net, PosixFilePermissions.fromString("rwxr-xr-x"));
        cmdline = Files.writeString(tmp.resolve("identity.cmdline"), IDENTITY);
        // The golden snapshot's config drive says something else: the identity file alone decides.
        Path drive = Files.writeString(tmp.resolve("config.img"), "banger.ip=10.99.0.2/24 banger.hostname=warm-3 banger.iface=eth9\n");
        Path sysNet = Files.createDirectories(tmp.resolve("sys-class-net"));
        Files.createDirectories(sysNet.resolve("lo"));
        Files.createDirectories(sysNet.resolve("eth0"));
        mounts = Files.writeString(tmp.resolve("mounts"), """
                /dev/vda / ext4 rw,relatime 0 0
                proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
                /dev/vdb /root ext4 rw,relatime 0 0
                """);
        systemd = Files.createDirectories(tmp.resolve("run-systemd-system"));
        resolv = tmp.resolve("resolv.conf");
        env.putAll(Map.of("BANGER_IDENTITY_DRY_RUN", "1", "BANGER_NET_SETUP", net.toString(), "BANGER_CONFIG_DRIVE", drive.toString(),
                "BANGER_SYS_NET", sysNet.toString(), "BANGER_MOUNTS", mounts.toString(), "BANGER_SYSTEMD_MARKER", systemd.toString(),
                "BANGER_RESOLV", resolv.toString(), "BANGER_HOSTNAME_FILE", tmp.resolve("hostname").toString()));
        env.put("BANGER_SSHD_PID_FILE", tmp.resolve("sshd.pid").toString());
    }

    @Test
    void aRunningSshdIsHungUpDirectlyRatherThanReloadedThroughSystemctl() throws IOException {
        Files.writeString(tmp.resolve("sshd.pid"), "4321\n");

        CommandResult result = apply(cmdline.toString(), "no");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).endsWith("kill -HUP 4321\n").doesNotContain("systemctl");
    }

    @Test
    void aPidFileThatIsNoNumberIsIgnored() throws IOException {
        Files.writeString(tmp.resolve("sshd.pid"), "1; reboot\n");

        CommandResult result = apply(cmdline.toString(), "no");

        assertThat(result.stdout()).endsWith("systemctl reload-or-restart ssh.service\n").doesNotContain("kill");
    }

    private CommandResult apply(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of("dash", script.toString()));
        argv.addAll(List.of(args));
        return new ProcessHostCommands().exec(Command.of(argv).withEnv(env).withTimeout(Duration.ofSeconds(10)));
    }

    @Test
    void aSystemdGuestTakesItsNetworkFromTheFileGrowsRootAndReloadsSshd() throws IOException {
        CommandResult result = apply(cmdline.toString(), "yes");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                hostname dev7
                ip link set dev lo up
                ip link set dev eth0 address 02:fc:00:00:00:09
                ip link set dev eth0 up
                ip -4 address flush dev eth0
                ip address replace 172.30.0.9/24 dev eth0
                ip route replace default via 172.30.0.1 dev eth0
                resize2fs /dev/vdb
                systemctl reload-or-restart ssh.service
                """);
        assertThat(Files.readString(resolv)).isEqualTo("nameserver 172.30.0.1\nnameserver 192.0.2.53\n");
    }

    @Test
    void aRunitGuestHasSshdHangUpAndNothingGrowsWhenNotAsked() throws IOException {
        Files.delete(systemd);

        CommandResult result = apply(cmdline.toString(), "no");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).doesNotContain("resize2fs", "systemctl").endsWith("""
                ip route replace default via 172.30.0.1 dev eth0
                sv hup sshd
                """);
    }

    @Test
    void growingWithoutAWorkDiskAtRootFailsBeforeSshdIsTouched() throws IOException {
        Files.writeString(mounts, "/dev/vda / ext4 rw 0 0\n/dev/vdb /rooted ext4 rw 0 0\n");

        CommandResult result = apply(cmdline.toString(), "yes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("banger-identity: nothing is mounted at /root");
        assertThat(result.stdout()).contains("ip address replace 172.30.0.9/24 dev eth0").doesNotContain("resize2fs", "systemctl");
    }

    @Test
    void aNetworkTheScriptCannotSetStopsItWithTheNicScriptsReason() throws IOException {
        Files.writeString(cmdline, "banger.hostname=dev7 banger.ip=172.30.0.9\n");

        CommandResult result = apply(cmdline.toString(), "no");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("has no /prefix", "banger-identity: network setup from " + cmdline + " failed (exit 1)");
        assertThat(result.stdout()).doesNotContain("systemctl", "sv hup");
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingChanges() {
        CommandResult maybe = apply(cmdline.toString(), "maybe");
        CommandResult missing = apply(tmp.resolve("absent").toString(), "no");
        CommandResult none = apply();

        assertThat(maybe.exitCode()).isEqualTo(1);
        assertThat(maybe.stderr()).contains("GROW_ROOT is 'maybe', expected yes or no");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("cannot read the identity's command line file " + tmp.resolve("absent"));
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("usage: banger-identity-apply CMDLINE_FILE yes|no");
        assertThat(maybe.stdout() + missing.stdout() + none.stdout()).isEmpty();
    }

    @Test
    void withoutDryRunItRunsTheToolsAndAFailingReloadIsItsExitStatus() throws IOException {
        // Stand-ins for the guest's tools, first on PATH: each logs its argv; sv fails as a sshd that is not supervised would.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("tools.log");
        for (String tool : List.of("ip", "resize2fs", "sv")) {
            Path fake = Files.writeString(bin.resolve(tool), "#!/bin/sh\necho \"" + tool + " $*\" >> " + log + "\n"
                    + (tool.equals("sv") ? "echo 'fail: sshd: runsv not running' >&2\nexit 1\n" : "exit 0\n"));
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        env.remove("BANGER_IDENTITY_DRY_RUN");
        env.put("PATH", bin + ":/usr/bin:/bin");
        Files.writeString(cmdline, "banger.ip=172.30.0.9/24 banger.gw=172.30.0.1\n");
        Files.delete(systemd);

        CommandResult result = apply(cmdline.toString(), "yes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("fail: sshd: runsv not running", "banger-identity: sshd did not reload with the new host key (sv exit 1)");
        assertThat(Files.readAllLines(log)).containsExactly(
                "ip link set dev lo up",
                "ip link set dev eth0 up",
                "ip -4 address flush dev eth0",
                "ip address replace 172.30.0.9/24 dev eth0",
                "ip route replace default via 172.30.0.1 dev eth0",
                "resize2fs /dev/vdb",
                "sv hup sshd");
    }
}
