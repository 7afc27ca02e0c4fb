package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.Ipv4Subnet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NetworkPlannerTest {
    private final NetworkPlanner planner = new NetworkPlanner("banger0", Ipv4Subnet.parse("172.30.0.0/24"));

    @Test
    void missingBridgeIsCreatedGivenTheGatewayAddressAndBroughtUp() {
        assertThat(planner.ensureBridge(Optional.empty()).argvs()).containsExactly(
                List.of("ip", "link", "add", "name", "banger0", "type", "bridge"),
                List.of("ip", "addr", "add", "172.30.0.1/24", "dev", "banger0"),
                List.of("ip", "link", "set", "dev", "banger0", "up"));
    }

    @Test
    void readyBridgeNeedsNothing() {
        LinkState ready = new LinkState("banger0", "bridge", true, "", List.of("10.0.0.5/8", "172.30.0.1/24"));
        assertThat(planner.ensureBridge(Optional.of(ready)).isEmpty()).isTrue();
    }

    @Test
    void downBridgeWithItsAddressIsOnlyBroughtUp() {
        LinkState down = new LinkState("banger0", "bridge", false, "", List.of("172.30.0.1/24"));
        assertThat(planner.ensureBridge(Optional.of(down)).argvs())
                .containsExactly(List.of("ip", "link", "set", "dev", "banger0", "up"));
    }

    @Test
    void upBridgeWithoutAddressOnlyGetsTheAddress() {
        LinkState bare = new LinkState("banger0", "bridge", true, "", List.of());
        assertThat(planner.ensureBridge(Optional.of(bare)).argvs())
                .containsExactly(List.of("ip", "addr", "add", "172.30.0.1/24", "dev", "banger0"));
    }

    @Test
    void bridgeNameTakenByAnotherKindOfDeviceIsAConflict() {
        LinkState veth = new LinkState("banger0", "veth", true, "", List.of());
        assertThatThrownBy(() -> planner.ensureBridge(Optional.of(veth)))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("banger0 exists but is a veth, not a bridge")
                .extracting(e -> ((BangerException) e).kind()).isEqualTo(ErrorKind.CONFLICT);
    }

    @Test
    void gatewayWithAnotherPrefixLengthIsAConflictNamingTheFix() {
        LinkState wrong = new LinkState("banger0", "bridge", true, "", List.of("172.30.0.1/16"));
        assertThatThrownBy(() -> planner.ensureBridge(Optional.of(wrong)))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("ip addr del 172.30.0.1/16 dev banger0");
    }

    @Test
    void tapIsCreatedThenAttachedAndBroughtUpInOneStep() {
        assertThat(planner.createTap("tap-pool-7").argvs()).containsExactly(
                List.of("ip", "tuntap", "add", "dev", "tap-pool-7", "mode", "tap"),
                List.of("ip", "link", "set", "dev", "tap-pool-7", "master", "banger0", "up"));
    }

    @Test
    void tapIsDeletedAsATapSoNoOtherDeviceCanBeHit() {
        assertThat(planner.deleteTap("tap-pool-7").argvs())
                .containsExactly(List.of("ip", "tuntap", "del", "dev", "tap-pool-7", "mode", "tap"));
    }

    @Test
    void invalidTapNamesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> planner.createTap("tap-with-16-char")).hasMessageContaining("at most 15");
        assertThatThrownBy(() -> planner.createTap("tap 0")).hasMessageContaining("not a valid interface name");
        assertThatThrownBy(() -> planner.createTap("tap/0")).hasMessageContaining("not a valid interface name");
        assertThatThrownBy(() -> planner.createTap("-tap")).hasMessageContaining("not a valid interface name");
        assertThatThrownBy(() -> planner.createTap("..")).hasMessageContaining("not a valid interface name");
        assertThatThrownBy(() -> planner.deleteTap("")).hasMessageContaining("empty");
        assertThat(planner.createTap("a.b_c-15chars-x").argvs()).hasSize(2);
    }

    @Test
    void invalidBridgeNameIsRejected() {
        assertThatThrownBy(() -> new NetworkPlanner("br;rm", Ipv4Subnet.parse("10.0.0.0/24")))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("bridge name");
    }

    @Test
    void ipJsonIsReadIntoLinkStates() {
        String json = """
                [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"],"addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8}]},
                 {"ifindex":2,"ifname":"banger0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"linkinfo":{"info_kind":"bridge"},
                  "addr_info":[{"family":"inet","local":"172.30.0.1","prefixlen":24},{"family":"inet6","local":"fe80::1","prefixlen":64}]},
                 {"ifindex":3,"ifname":"tap-pool-0","flags":["BROADCAST"],"master":"banger0",
                  "linkinfo":{"info_kind":"tun","info_data":{"type":"tap"}}},
                 {"ifindex":4,"ifname":"tun0","flags":[],"linkinfo":{"info_kind":"tun","info_data":{"type":"tun"}}}]
                """;
        assertThat(IpJson.links(json)).containsExactly(
                new LinkState("lo", "", true, "", List.of("127.0.0.1/8")),
                new LinkState("banger0", "bridge", true, "", List.of("172.30.0.1/24")),
                new LinkState("tap-pool-0", "tap", false, "banger0", List.of()),
                new LinkState("tun0", "tun", false, "", List.of()));
        assertThat(IpJson.links("")).isEmpty();
        assertThatThrownBy(() -> IpJson.links("Device \"x\" does not exist.")).hasMessageContaining("JSON");
    }
}
