package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.Command;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.PortForward;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortForwardPlannerTest {
    private final PortForwardPlanner planner = new PortForwardPlanner("bgt0", Ipv4Subnet.parse("172.30.0.0/24"));

    @Test
    void eachVmHasATableOfItsOwnNamedByBridgeAndVm() {
        assertThat(planner.table("dev1")).isEqualTo("banger-ports-bgt0-dev1");
        assertThat(planner.remove("dev1").argv()).containsExactly("nft", "delete", "table", "ip", "banger-ports-bgt0-dev1");
        assertThat(planner.exists("dev1").argv()).containsExactly("nft", "list", "table", "ip", "banger-ports-bgt0-dev1");
        assertThatThrownBy(() -> planner.table("Dev 1; flush ruleset")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLoopbackForwardNatsOnlyLocalConnectionsAndMasqueradesThem() {
        String script = planner.script("dev1", "172.30.0.2", List.of(PortForward.loopback(2222, 22)));

        assertThat(script).startsWith("table ip banger-ports-bgt0-dev1\ndelete table ip banger-ports-bgt0-dev1\n");
        assertThat(chain(script, "output")).contains(
                "ip daddr 127.0.0.1 tcp dport 2222 dnat to 172.30.0.2:22 comment \"banger:bgt0:dev1\"");
        assertThat(chain(script, "output")).contains("type nat hook output priority -100;");
        assertThat(chain(script, "prerouting")).doesNotContain("dnat");
        assertThat(chain(script, "postrouting"))
                .contains("ip daddr 172.30.0.2 ct status dnat ip saddr { 127.0.0.0/8, 172.30.0.0/24 } masquerade");
    }

    @Test
    void anotherAddressIsAlsoNattedForOtherMachinesAndAllAddressesMatchByRouteType() {
        String script = planner.script("dev1", "172.30.0.2", List.of(new PortForward("192.168.1.5", 8080, 80, "tcp"),
                new PortForward("0.0.0.0", 5353, 53, "udp")));

        for (String chain : List.of("prerouting", "output")) {
            assertThat(chain(script, chain)).contains("ip daddr 192.168.1.5 tcp dport 8080 dnat to 172.30.0.2:80")
                    .contains("fib daddr type local udp dport 5353 dnat to 172.30.0.2:53");
        }
    }

    @Test
    void loopbackForwardsFirstGuardTheBridgeThenTurnOnRouteLocalnet() {
        NetworkPlan plan = planner.install("dev1", "172.30.0.2", List.of(PortForward.loopback(2222, 22)));

        assertThat(plan.argvs()).containsExactly(List.of("nft", "-f", "-"),
                List.of("sysctl", "-q", "-w", "net/ipv4/conf/bgt0/route_localnet=1"), List.of("nft", "-f", "-"));
        String guard = stdin(plan.commands().get(0));
        assertThat(guard).contains("table ip banger-localnet-bgt0 {", "type filter hook prerouting priority raw;",
                "iifname \"bgt0\" ip daddr 127.0.0.0/8 drop", "iifname \"bgt0\" ip saddr 127.0.0.0/8 drop");
        assertThat(stdin(plan.commands().get(2))).isEqualTo(planner.script("dev1", "172.30.0.2", List.of(PortForward.loopback(2222, 22))));
    }

    @Test
    void forwardsOnlyFromOtherAddressesLeaveRouteLocalnetAlone() {
        NetworkPlan plan = planner.install("dev1", "172.30.0.2", List.of(new PortForward("192.168.1.5", 8080, 80, "tcp")));

        assertThat(plan.argvs()).containsExactly(List.of("nft", "-f", "-"));
    }

    @Test
    void theGuardGoesAfterRouteLocalnetIsOffAndOnlyWhenNoVmTableIsListed() {
        assertThat(planner.removeGuard().argvs()).containsExactly(
                List.of("sysctl", "-q", "-w", "net/ipv4/conf/bgt0/route_localnet=0"),
                List.of("nft", "delete", "table", "ip", "banger-localnet-bgt0"));
        String listing = "table ip banger-bgt0\ntable ip banger-localnet-bgt0\ntable ip banger-ports-bgt0-dev1\n";
        assertThat(planner.namesVmTables(listing)).isTrue();
        assertThat(planner.namesGuard(listing)).isTrue();
        assertThat(planner.namesVmTables("table ip banger-bgt0\ntable ip banger-ports-bgt1-dev1\n")).isFalse();
        assertThat(planner.namesGuard("table ip banger-localnet-bgt01\n")).isFalse();
    }

    @Test
    void noForwardsDeleteTheTable() {
        assertThat(planner.install("dev1", "172.30.0.2", List.of()).argvs())
                .containsExactly(List.of("nft", "delete", "table", "ip", "banger-ports-bgt0-dev1"));
    }

    @Test
    void aGuestAddressThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> planner.script("dev1", "172.30.0.2; flush ruleset", List.of(PortForward.loopback(1, 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String stdin(Command command) {
        return new String(command.stdin(), StandardCharsets.UTF_8);
    }

    private static String chain(String script, String name) {
        int start = script.indexOf("\tchain " + name + " {");
        return script.substring(start, script.indexOf("\t}", start));
    }
}
