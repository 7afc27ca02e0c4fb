package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.config.NatMode;
import dev.banger.config.NetworkConfig;
import dev.banger.host.Command;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.Ipv4Subnet;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatPlanTest {
    private static final NetworkConfig CONFIG =
            new NetworkConfig("banger0", Ipv4Subnet.parse("172.30.0.0/24"), "banger.internal", 2, NatMode.AUTO);
    private static final List<String> SYSCTL = List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");

    private final NetworkPlanner planner = new NetworkPlanner("banger0", Ipv4Subnet.parse("172.30.0.0/24"));
    private final RecordingHostCommands host = new RecordingHostCommands();

    private HostNetwork network(NatMode mode) {
        return new HostNetwork(host, new NetworkConfig(CONFIG.bridge(), CONFIG.subnet(), CONFIG.domain(), 2, mode));
    }

    @Test
    void autoPrefersNftablesThenIptablesThenNothing() {
        assertThat(NetworkPlanner.chooseBackend(NatMode.AUTO, true, true)).isEqualTo(NatBackend.NFTABLES);
        assertThat(NetworkPlanner.chooseBackend(NatMode.AUTO, false, true)).isEqualTo(NatBackend.IPTABLES);
        assertThat(NetworkPlanner.chooseBackend(NatMode.AUTO, false, false)).isEqualTo(NatBackend.NONE);
        assertThat(NetworkPlanner.chooseBackend(NatMode.IPTABLES, true, true)).isEqualTo(NatBackend.IPTABLES);
        assertThat(NetworkPlanner.chooseBackend(NatMode.OFF, true, true)).isEqualTo(NatBackend.NONE);
    }

    @Test
    void explicitlyConfiguredBackendThatIsMissingIsAPreconditionFailure() {
        assertThatThrownBy(() -> NetworkPlanner.chooseBackend(NatMode.NFTABLES, false, true))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("apt-get install nftables")
                .extracting(e -> ((BangerException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        assertThatThrownBy(() -> NetworkPlanner.chooseBackend(NatMode.IPTABLES, true, false))
                .hasMessageContaining("iptables is not installed");
    }

    @Test
    void nftablesScriptMasqueradesTheSubnetLeavingOtherInterfacesInBangersOwnTable() {
        Command install = planner.installNftables().commands().getFirst();

        assertThat(install.argv()).containsExactly("nft", "-f", "-");
        String script = new String(install.stdin(), StandardCharsets.UTF_8);
        assertThat(script).startsWith("table ip banger-banger0\ndelete table ip banger-banger0\ntable ip banger-banger0 {");
        assertThat(script).contains("type nat hook postrouting priority srcnat;")
                .contains("ip saddr 172.30.0.0/24 oifname != \"banger0\" masquerade")
                .contains("type filter hook forward priority filter;")
                .contains("iifname \"banger0\" accept")
                .contains("oifname \"banger0\" ct state established,related accept");
    }

    @Test
    void iptablesRulesAllCarryTheBridgeComment() {
        List<IptablesRule> rules = planner.iptablesRules();

        assertThat(rules).extracting(IptablesRule::comment).containsOnly("banger:banger0");
        assertThat(rules).allMatch(NetworkPlanner::isOwnedRule);
        assertThat(planner.installIptables(rules).argvs()).containsExactly(
                List.of("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-s", "172.30.0.0/24", "!", "-o", "banger0",
                        "-m", "comment", "--comment", "banger:banger0", "-j", "MASQUERADE"),
                List.of("iptables", "-w", "-t", "filter", "-I", "FORWARD", "-i", "banger0",
                        "-m", "comment", "--comment", "banger:banger0", "-j", "ACCEPT"),
                List.of("iptables", "-w", "-t", "filter", "-I", "FORWARD", "-o", "banger0", "-m", "conntrack",
                        "--ctstate", "RELATED,ESTABLISHED", "-m", "comment", "--comment", "banger:banger0", "-j", "ACCEPT"));
    }

    @Test
    void nftablesInstallEnablesForwardingThroughSysctlAndReturnsTheTable() {
        host.withPrograms("nft", "iptables");

        NatHandles handles = network(NatMode.AUTO).installNat();

        assertThat(handles).isEqualTo(NatHandles.nftables("banger-banger0"));
        assertThat(host.recorded()).containsExactly(SYSCTL, List.of("nft", "-f", "-"));
    }

    @Test
    void iptablesInstallAddsOnlyTheRulesThatAreMissing() {
        host.withPrograms("iptables");
        host.answer(List.of("iptables", "-w", "-t", "filter", "-C"), 1, "", "iptables: Bad rule");

        NatHandles handles = network(NatMode.AUTO).installNat();

        assertThat(handles.backend()).isEqualTo(NatBackend.IPTABLES);
        assertThat(handles.iptablesRules()).isEqualTo(planner.iptablesRules());
        assertThat(host.recorded()).filteredOn(a -> a.contains("-A") || a.contains("-I"))
                .extracting(a -> a.get(5)).containsExactly("FORWARD", "FORWARD");
        assertThat(host.recorded().getFirst()).isEqualTo(SYSCTL);
    }

    @Test
    void iptablesRulesAddedBeforeAFailureAreRemovedAgain() {
        host.withPrograms("iptables");
        host.answer(List.of("iptables", "-w", "-t", "nat", "-C"), c -> new dev.banger.host.CommandResult(c,
                host.recorded().stream().anyMatch(a -> a.contains("-A")) ? 0 : 1, "", "", java.time.Duration.ZERO));
        host.answer(List.of("iptables", "-w", "-t", "filter", "-C"), 1, "", "");
        host.answer(List.of("iptables", "-w", "-t", "filter", "-I"), 4, "", "iptables v1.8.9: can't initialize");

        assertThatThrownBy(() -> network(NatMode.IPTABLES).installNat())
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("can't initialize");

        assertThat(host.recorded()).filteredOn(a -> a.contains("-D"))
                .extracting(a -> a.get(5)).containsExactly("POSTROUTING");
    }

    @Test
    void natOffInstallsNothingAndTouchesNothing() {
        host.withPrograms("nft", "iptables");

        assertThat(network(NatMode.OFF).installNat()).isEqualTo(NatHandles.NONE);
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void removalWithoutHandlesRunsNothing() {
        host.withPrograms("nft", "iptables");
        HostNetwork network = network(NatMode.AUTO);

        assertThat(network.removeNat(null)).isEqualTo(NatRemoval.NOTHING);
        assertThat(network.removeNat(NatHandles.NONE)).isEqualTo(NatRemoval.NOTHING);
        assertThat(network.removeNat(NatHandles.iptables(List.of()))).isEqualTo(NatRemoval.NOTHING);
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void removalOfATableThatIsAlreadyGoneReportsItAndDeletesNothing() {
        host.answer(List.of("nft", "list", "table"), 1, "", "Error: No such file or directory");

        NatRemoval removal = network(NatMode.AUTO).removeNat(NatHandles.nftables("banger-banger0"));

        assertThat(removal.alreadyGone()).containsExactly("nft table ip banger-banger0");
        assertThat(removal.removed()).isEmpty();
        assertThat(host.recorded()).containsExactly(List.of("nft", "list", "table", "ip", "banger-banger0"));
    }

    @Test
    void removalDeletesOurTableOnly() {
        NatRemoval removal = network(NatMode.AUTO).removeNat(NatHandles.nftables("banger-banger0"));

        assertThat(removal.removed()).containsExactly("nft table ip banger-banger0");
        assertThat(host.recorded()).endsWith(List.of("nft", "delete", "table", "ip", "banger-banger0"));
    }

    @Test
    void handlesThatDoNotNameBangersRulesAreSkipped() {
        IptablesRule foreign = new IptablesRule("filter", "FORWARD", List.of("-i", "docker0", "-j", "ACCEPT"));

        NatRemoval removal = network(NatMode.AUTO).removeNat(NatHandles.iptables(List.of(foreign)));
        NatRemoval table = network(NatMode.AUTO).removeNat(NatHandles.nftables("filter"));

        assertThat(removal.skipped()).hasSize(1);
        assertThat(table.skipped()).containsExactly("nft table ip filter");
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void removalCarriesOnPastAFailedRuleAndReportsIt() {
        host.answer(List.of("iptables", "-w", "-t", "nat", "-D"), 4, "", "iptables: Resource temporarily unavailable.");

        NatRemoval removal = network(NatMode.AUTO).removeNat(NatHandles.iptables(planner.iptablesRules()));

        assertThat(removal.failed()).singleElement().asString().contains("POSTROUTING").contains("temporarily unavailable");
        assertThat(removal.removed()).hasSize(2);
        assertThat(removal.clean()).isFalse();
    }

    @Test
    void lostHandlesAreRediscoveredByTableNameAndComment() {
        host.withPrograms("iptables");
        host.answer(List.of("iptables", "-w", "-t", "filter", "-C"), 1, "", "");

        NatHandles found = network(NatMode.AUTO).discoverNat();

        assertThat(found.iptablesRules()).extracting(IptablesRule::chain).containsExactly("POSTROUTING");
    }

    @Test
    void handlesSurviveAJsonRoundTripForTheStore() throws Exception {
        ObjectMapper json = new ObjectMapper();
        NatHandles iptables = NatHandles.iptables(planner.iptablesRules());
        NatHandles nft = NatHandles.nftables("banger-banger0");

        assertThat(json.readValue(json.writeValueAsString(iptables), NatHandles.class)).isEqualTo(iptables);
        assertThat(json.readValue(json.writeValueAsString(nft), NatHandles.class)).isEqualTo(nft);
        assertThat(json.readValue(json.writeValueAsString(NatHandles.NONE), NatHandles.class)).isEqualTo(NatHandles.NONE);
    }
}
