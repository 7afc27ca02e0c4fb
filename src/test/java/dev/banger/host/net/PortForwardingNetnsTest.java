package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Deadline;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.PortForward;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * The real nft and kernel: a "host" namespace with the bridge, a "guest" namespace on a veth in
 * it at 172.30.0.2 where socat answers, and a forward from the host's 127.0.0.1 to it.
 */
@Tag("root")
class PortForwardingNetnsTest {
    private static final String BRIDGE = "bgt0";
    private static final String GUEST_IP = "172.30.0.2";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ProcessHostCommands host = new ProcessHostCommands();
    private NetnsHostCommands ns;
    private NetnsHostCommands guest;
    private Process listener;
    private PortForwarding forwarding;

    @BeforeEach
    void twoNamespacesAndAListeningGuest() throws Exception {
        assertThat(host.available("socat")).as("socat is missing: run make deps").isTrue();
        assertThat(host.available("nft")).as("nft is missing: run make deps").isTrue();
        ns = NetnsHostCommands.create(host);
        guest = NetnsHostCommands.create(host);
        new HostNetwork(ns, new dev.banger.config.NetworkConfig(BRIDGE, Ipv4Subnet.parse("172.30.0.0/24"), "banger.internal", 0,
                dev.banger.config.NatMode.OFF)).ensureBridge();
        ns.run("ip", "link", "set", "lo", "up");
        ns.run("ip", "link", "add", "bgt0-h", "type", "veth", "peer", "name", "eth0", "netns", guest.namespace());
        ns.run("ip", "link", "set", "bgt0-h", "master", BRIDGE, "up");
        guest.run("ip", "addr", "add", GUEST_IP + "/24", "dev", "eth0");
        guest.run("ip", "link", "set", "eth0", "up");
        guest.run("ip", "link", "set", "lo", "up");
        guest.run("ip", "route", "add", "default", "via", "172.30.0.1");
        listener = new ProcessBuilder("ip", "netns", "exec", guest.namespace(), "socat", "TCP-LISTEN:8080,reuseaddr,fork",
                "SYSTEM:echo hello-from-guest").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Deadline.after(WAIT).awaitOrThrow(() -> fetch(GUEST_IP + ":8080").contains("hello-from-guest"), Duration.ofMillis(50),
                () -> new IllegalStateException("socat in the guest namespace never answered"));
        forwarding = new PortForwarding(ns, new PortForwardPlanner(BRIDGE, Ipv4Subnet.parse("172.30.0.0/24")));
    }

    @AfterEach
    void removeNamespaces() {
        try {
            if (listener != null) {
                listener.destroyForcibly();
            }
        } finally {
            try {
                guest.close();
            } finally {
                ns.close();
            }
        }
    }

    /** What a TCP connection from the host namespace to {@code address} reads, or "" when it fails. */
    private String fetch(String address) {
        CommandResult result = host.exec(Command.of("ip", "netns", "exec", ns.namespace(), "socat", "-T", "3", "-", "TCP:" + address
                + ",connect-timeout=3").withTimeout(Duration.ofSeconds(10)));
        return result.succeeded() ? result.stdout() : "";
    }

    @Test
    void aForwardFromLoopbackReachesTheGuestAndIsGoneOnceRemoved() {
        assertThat(fetch("127.0.0.1:18080")).as("before the forward").isEmpty();

        forwarding.install("dev1", GUEST_IP, List.of(PortForward.loopback(18080, 8080)));

        assertThat(fetch("127.0.0.1:18080")).contains("hello-from-guest");
        assertThat(ns.look("sysctl", "-n", "net.ipv4.conf." + BRIDGE + ".route_localnet").strip()).isEqualTo("1");
        assertThat(ns.look("nft", "list", "tables")).contains("table ip banger-ports-bgt0-dev1", "table ip banger-localnet-bgt0");

        assertThat(forwarding.remove("dev1")).isTrue();

        assertThat(fetch("127.0.0.1:18080")).as("after removal").isEmpty();
        assertThat(ns.look("nft", "list", "tables")).as("the VM's table, and the guard with the last one")
                .doesNotContain("banger-ports-bgt0-dev1").doesNotContain("banger-localnet-bgt0");
        assertThat(ns.look("sysctl", "-n", "net.ipv4.conf." + BRIDGE + ".route_localnet").strip()).isEqualTo("0");
        assertThat(forwarding.remove("dev1")).as("removing again").isFalse();
    }

    @Test
    void theGuardStaysWhileAnotherVmsTableNeedsIt() {
        forwarding.install("dev1", GUEST_IP, List.of(PortForward.loopback(18080, 8080)));
        forwarding.install("dev2", GUEST_IP, List.of(PortForward.loopback(18081, 8080)));

        forwarding.remove("dev1");

        assertThat(ns.look("nft", "list", "tables")).contains("banger-localnet-bgt0");
        assertThat(fetch("127.0.0.1:18081")).contains("hello-from-guest");
        forwarding.remove("dev2");
        assertThat(ns.look("nft", "list", "tables")).doesNotContain("banger-");
    }

    @Test
    void installingAgainReplacesTheForwardsAndAnEmptyListRemovesThem() {
        forwarding.install("dev1", GUEST_IP, List.of(PortForward.loopback(18080, 8080)));
        forwarding.install("dev1", GUEST_IP, List.of(PortForward.loopback(18081, 8080)));

        assertThat(fetch("127.0.0.1:18081")).contains("hello-from-guest");
        assertThat(fetch("127.0.0.1:18080")).isEmpty();
        assertThat(ns.look("nft", "list", "table", "ip", "banger-ports-bgt0-dev1")).containsOnlyOnce("dnat to");

        forwarding.install("dev1", GUEST_IP, List.of());

        assertThat(fetch("127.0.0.1:18081")).isEmpty();
    }

    @Test
    void aForwardFromAllAddressesAlsoAnswersOnTheBridgeAddress() {
        forwarding.install("dev1", GUEST_IP, List.of(new PortForward("0.0.0.0", 18080, 8080, "tcp")));

        assertThat(fetch("127.0.0.1:18080")).contains("hello-from-guest");
        assertThat(fetch("172.30.0.1:18080")).contains("hello-from-guest");
        forwarding.remove("dev1");
    }

    @Test
    void aGuestCannotReachTheHostsLoopbackThroughTheBridgeThoughRouteLocalnetIsOn() throws Exception {
        forwarding.install("dev1", GUEST_IP, List.of(PortForward.loopback(18080, 8080)));
        Process secret = new ProcessBuilder("ip", "netns", "exec", ns.namespace(), "socat", "TCP-LISTEN:9999,bind=127.0.0.1,reuseaddr,fork",
                "SYSTEM:echo host-secret").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Deadline.after(WAIT).awaitOrThrow(() -> fetch("127.0.0.1:9999").contains("host-secret"), Duration.ofMillis(50),
                    () -> new IllegalStateException("the host namespace's loopback listener never answered"));
            // A hostile guest sends to 127.0.0.1 through the bridge instead of its own loopback.
            guest.run("sysctl", "-q", "-w", "net/ipv4/conf/eth0/route_localnet=1");
            guest.run("ip", "route", "add", "127.0.0.1/32", "via", "172.30.0.1", "dev", "eth0", "table", "100", "onlink");
            guest.run("ip", "rule", "add", "pref", "10", "to", "127.0.0.1", "lookup", "100");
            guest.run("ip", "rule", "del", "pref", "0");
            guest.run("ip", "rule", "add", "pref", "20", "lookup", "local");

            assertThat(fromGuest("127.0.0.1:9999")).as("with the guard").doesNotContain("host-secret");

            ns.run("nft", "delete", "table", "ip", "banger-localnet-" + BRIDGE);
            assertThat(fromGuest("127.0.0.1:9999")).as("without the guard, what route_localnet alone lets through")
                    .contains("host-secret");
        } finally {
            secret.destroyForcibly();
        }
    }

    private String fromGuest(String address) {
        CommandResult result = host.exec(Command.of("ip", "netns", "exec", guest.namespace(), "socat", "-T", "2", "-",
                "TCP:" + address + ",connect-timeout=2").withTimeout(Duration.ofSeconds(10)));
        return result.stdout();
    }
}
