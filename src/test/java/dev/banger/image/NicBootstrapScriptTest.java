package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NIC script run a second time with other words, as a guest restored from a snapshot runs it. */
class NicBootstrapScriptTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();

    @TempDir
    Path tmp;

    @Test
    void aSecondRunLeavesOnlyTheNewAddressRouteAndMac() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")) && HOST.available("unshare"), "needs root and unshare");
        Path script = Files.writeString(tmp.resolve("banger-net-setup"), NicBootstrapScript.text());
        Path first = Files.writeString(tmp.resolve("first"), "banger.iface=eth0 banger.ip=10.9.0.2/24 banger.gw=10.9.0.1"
                + " banger.mac=02:aa:00:00:00:01 banger.hostname=golden\n");
        Path second = Files.writeString(tmp.resolve("second"), "banger.iface=eth0 banger.ip=10.8.0.7/24 banger.gw=10.8.0.1"
                + " banger.mac=02:aa:00:00:00:02 banger.hostname=dev7\n");
        // Namespaces of its own (network and hostname) that die with the shell, also when an assertion fails.
        // /sys still shows the host's interfaces there, so the script is told the interface and the test asks ip.
        String steps = """
                set -e
                ip link add eth0 type veth peer name eth1
                ip link set eth1 up
                BANGER_CMDLINE=%1$s dash %3$s
                BANGER_CMDLINE=%2$s dash %3$s
                echo "ADDR $(ip -4 -o address show dev eth0 | awk '{print $4}' | tr '\\n' ' ')"
                echo "ROUTE $(ip route show default)"
                echo "MAC $(ip -br link show dev eth0 | awk '{print $3}')"
                echo "HOST $(cat /proc/sys/kernel/hostname)"
                """.formatted(first, second, script);

        CommandResult result = HOST.exec(Command.of("unshare", "--net", "--uts", "dash", "-c", steps)
                .withEnv(Map.of("BANGER_CONFIG_DRIVE", "", "BANGER_RESOLV", tmp.resolve("resolv.conf").toString(),
                        "BANGER_HOSTNAME_FILE", tmp.resolve("hostname").toString()))
                .withTimeout(Duration.ofSeconds(20)));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("ADDR 10.8.0.7/24 \n", "ROUTE default via 10.8.0.1 dev eth0", "MAC 02:aa:00:00:00:02\n", "HOST dev7\n")
                .doesNotContain("10.9.0.");
        assertThat(Files.readString(tmp.resolve("hostname"))).isEqualTo("dev7\n");
    }

    @Test
    void aNicThatRefusesANewMacWhileUpIsTakenDownForIt() throws IOException {
        // A fake ip that, like a virtio NIC without live MAC change, refuses the first MAC change (the link is up).
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path log = tmp.resolve("ip.log");
        Path ip = Files.writeString(bin.resolve("ip"), """
                #!/bin/sh
                echo "ip $*" >> %1$s
                case "$*" in
                    *" address 02:"*) [ -e %1$s.down ] || { echo 'RTNETLINK answers: Device or resource busy' >&2; exit 2; } ;;
                    *" down") : > %1$s.down ;;
                esac
                exit 0
                """.formatted(log));
        Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), "banger.iface=eth0 banger.ip=10.8.0.7/24 banger.mac=02:fc:00:00:00:02\n");
        Path script = Files.writeString(tmp.resolve("banger-net-setup"), NicBootstrapScript.text());

        CommandResult result = HOST.exec(Command.of("dash", script.toString())
                .withEnv(Map.of("PATH", bin + ":/usr/bin:/bin", "BANGER_CMDLINE", cmdline.toString(), "BANGER_CONFIG_DRIVE", ""))
                .withTimeout(Duration.ofSeconds(10)));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                "ip link set dev lo up",
                "ip link set dev eth0 address 02:fc:00:00:00:02",
                "ip link set dev eth0 down",
                "ip link set dev eth0 address 02:fc:00:00:00:02",
                "ip link set dev eth0 up",
                "ip -4 address flush dev eth0",
                "ip address replace 10.8.0.7/24 dev eth0");
    }
}
