package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.NatMode;
import dev.banger.config.NetworkConfig;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Ipv4Subnet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The real {@code ip}, {@code nft} and {@code iptables}, each test in a network namespace of its own. */
@Tag("root")
class HostNetworkNetnsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path HOST_IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    private static final String BRIDGE = "bgt0";

    private final ProcessHostCommands host = new ProcessHostCommands();
    private final List<TapPool> pools = new ArrayList<>();
    private NetnsHostCommands ns;
    private String hostIpForward;

    @BeforeEach
    void createNamespace() throws Exception {
        hostIpForward = Files.readString(HOST_IP_FORWARD);
        ns = NetnsHostCommands.create(host);
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        try {
            pools.forEach(TapPool::close);
        } finally {
            ns.close();
        }
        assertThat(Files.readString(HOST_IP_FORWARD)).as("the host's own ip_forward").isEqualTo(hostIpForward);
    }

    private HostNetwork network(NatMode nat) {
        return new HostNetwork(ns, new NetworkConfig(BRIDGE, Ipv4Subnet.parse("172.30.0.0/24"), "banger.internal", 2, nat));
    }

    private TapPool pool(HostNetwork network, int size) {
        TapPool pool = new TapPool(network, size);
        pools.add(pool);
        return pool;
    }

    @Test
    void bridgeGetsTheGatewayAddressAndIsUpAndEnsuringAgainIsHarmless() {
        HostNetwork network = network(NatMode.OFF);

        network.ensureBridge();
        network.ensureBridge();

        LinkState bridge = network.findLink(BRIDGE).orElseThrow();
        assertThat(bridge.kind()).isEqualTo("bridge");
        assertThat(bridge.up()).isTrue();
        assertThat(bridge.ipv4()).containsExactly("172.30.0.1/24");
        assertThat(ns.recorded()).filteredOn(a -> a.contains("add")).hasSize(2);
    }

    @Test
    void poolCreatesTapsAttachedToTheBridgeAndUp() throws Exception {
        HostNetwork network = network(NatMode.OFF);
        network.ensureBridge();
        TapPool pool = pool(network, 3);

        pool.start();

        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(network.listTaps()).containsExactlyInAnyOrder("tap-pool-0", "tap-pool-1", "tap-pool-2");
        for (String tap : network.listTaps()) {
            LinkState link = network.findLink(tap).orElseThrow();
            assertThat(link.kind()).isEqualTo("tap");
            assertThat(link.master()).isEqualTo(BRIDGE);
            assertThat(link.up()).isTrue();
        }
    }

    @Test
    void acquiredTapsAreRealAndReleaseIntoAFullPoolDeletesThem() throws Exception {
        HostNetwork network = network(NatMode.OFF);
        network.ensureBridge();
        TapPool pool = pool(network, 1);
        pool.start();
        assertThat(pool.awaitWarm(WAIT)).isTrue();

        String warm = pool.acquire();
        String onDemand = pool.acquire();
        assertThat(network.findLink(onDemand)).map(LinkState::master).contains(BRIDGE);
        assertThat(pool.awaitWarm(WAIT)).isTrue();
        pool.release(warm);
        pool.release(onDemand);

        assertThat(network.listTaps()).hasSize(1).doesNotContain(warm, onDemand);
    }

    @Test
    void restartedPoolAdoptsTheTapsOfTheEarlierOne() throws Exception {
        HostNetwork network = network(NatMode.OFF);
        network.ensureBridge();
        TapPool first = pool(network, 2);
        first.start();
        assertThat(first.awaitWarm(WAIT)).isTrue();
        String inUse = first.acquire();
        assertThat(first.awaitWarm(WAIT)).isTrue();
        first.close();
        List<String> before = network.listTaps();
        int createdBefore = created();

        TapPool second = pool(network, 2);
        second.start(List.of(inUse));

        assertThat(second.awaitWarm(WAIT)).isTrue();
        assertThat(created()).isEqualTo(createdBefore);
        assertThat(network.listTaps()).containsExactlyInAnyOrderElementsOf(before).hasSize(3);
        String next = second.acquire();
        assertThat(next).isNotEqualTo(inUse).isIn(before);
        second.release(inUse);
    }

    @Test
    void deletingWhatIsNotThereIsFine() {
        HostNetwork network = network(NatMode.OFF);

        network.deleteTap("tap-nope");
        network.removeBridge();

        assertThat(network.listTaps()).isEmpty();
        assertThat(network.findLink(BRIDGE)).isEqualTo(Optional.empty());
    }

    @Test
    void nftablesNatIsInstalledOnceAndRemovalRemovesExactlyIt() {
        ns.look("nft", "add", "table", "ip", "unrelated");
        ns.look("nft", "add", "chain", "ip", "unrelated", "post", "{", "type", "nat", "hook", "postrouting", "priority", "100", ";", "}");
        ns.look("nft", "add", "rule", "ip", "unrelated", "post", "oifname", "eth9", "masquerade");
        HostNetwork network = network(NatMode.NFTABLES);
        network.ensureBridge();

        NatHandles handles = network.installNat();
        network.installNat();

        assertThat(handles).isEqualTo(NatHandles.nftables("banger-" + BRIDGE));
        String ruleset = ns.look("nft", "list", "ruleset");
        assertThat(ruleset.split("table ip banger-" + BRIDGE + " ", -1)).hasSize(2);
        assertThat(ruleset).contains("ip saddr 172.30.0.0/24 oifname != \"bgt0\" masquerade")
                .contains("iifname \"bgt0\" accept");
        assertThat(ns.look("sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("1");

        NatRemoval removal = network.removeNat(handles);

        assertThat(removal.removed()).containsExactly("nft table ip banger-bgt0");
        String after = ns.look("nft", "list", "ruleset");
        assertThat(after).doesNotContain("banger").contains("table ip unrelated").contains("oifname \"eth9\" masquerade");
        assertThat(network.removeNat(handles).alreadyGone()).containsExactly("nft table ip banger-bgt0");
    }

    @Test
    void iptablesNatIsInstalledOnceAndRemovalRemovesExactlyIt() {
        ns.look("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-o", "eth9", "-j", "MASQUERADE");
        ns.look("iptables", "-w", "-A", "FORWARD", "-i", "eth9", "-j", "DROP");
        HostNetwork network = network(NatMode.IPTABLES);
        network.ensureBridge();

        NatHandles handles = network.installNat();
        network.installNat();

        assertThat(handles.backend()).isEqualTo(NatBackend.IPTABLES);
        assertThat(ns.look("iptables", "-t", "nat", "-S", "POSTROUTING"))
                .contains("-A POSTROUTING -s 172.30.0.0/24 ! -o bgt0 -m comment --comment \"banger:bgt0\" -j MASQUERADE");
        assertThat(ourRules()).hasSize(3);
        assertThat(ns.look("iptables", "-S", "FORWARD").lines().filter(l -> l.startsWith("-A")).findFirst())
                .hasValueSatisfying(first -> assertThat(first).contains("banger:bgt0"));
        assertThat(ns.look("sysctl", "-n", "net.ipv4.ip_forward").strip()).isEqualTo("1");

        NatRemoval removal = network.removeNat(handles);

        assertThat(removal.removed()).hasSize(3);
        assertThat(ourRules()).isEmpty();
        assertThat(ns.look("iptables", "-t", "nat", "-S", "POSTROUTING")).contains("-A POSTROUTING -o eth9 -j MASQUERADE");
        assertThat(ns.look("iptables", "-S", "FORWARD")).contains("-A FORWARD -i eth9 -j DROP");
        assertThat(network.removeNat(handles).alreadyGone()).hasSize(3);
    }

    @Test
    void lostHandlesRemoveNothingAndTheRulesCanBeRediscovered() {
        HostNetwork iptables = network(NatMode.IPTABLES);
        HostNetwork nftables = network(NatMode.NFTABLES);
        iptables.installNat();
        nftables.installNat();

        assertThat(iptables.removeNat(NatHandles.NONE)).isEqualTo(NatRemoval.NOTHING);
        assertThat(iptables.removeNat(null)).isEqualTo(NatRemoval.NOTHING);
        assertThat(ourRules()).hasSize(3);
        assertThat(ns.look("nft", "list", "tables")).contains("banger-bgt0");

        NatHandles found = nftables.discoverNat();
        assertThat(found).isEqualTo(NatHandles.nftables("banger-bgt0"));
        assertThat(nftables.removeNat(found).clean()).isTrue();
        NatHandles rest = iptables.discoverNat();
        assertThat(rest.iptablesRules()).hasSize(3);
        assertThat(iptables.removeNat(rest).removed()).hasSize(3);

        assertThat(ourRules()).isEmpty();
        assertThat(ns.look("nft", "list", "tables")).doesNotContain("banger-bgt0");
        assertThat(iptables.discoverNat()).isEqualTo(NatHandles.NONE);
    }

    private List<String> ourRules() {
        String all = ns.look("iptables", "-t", "nat", "-S") + ns.look("iptables", "-S");
        return all.lines().filter(l -> l.contains("banger:bgt0")).toList();
    }

    private int created() {
        return (int) ns.recorded().stream().filter(a -> a.size() > 2 && a.subList(0, 3).equals(List.of("ip", "tuntap", "add"))).count();
    }
}
