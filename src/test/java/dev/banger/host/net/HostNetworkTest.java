package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.NetworkConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostNetworkTest {
    private static final List<String> LIST_LINKS = List.of("ip", "-j", "-d", "addr", "show");

    private final FakeTaps fake = new FakeTaps();
    private final HostNetwork network = new HostNetwork(fake.commands, NetworkConfig.DEFAULTS);

    @Test
    void ensureBridgeLooksFirstAndCreatesOnlyWhatIsMissing() {
        fake.commands.answer(LIST_LINKS, 0, """
                [{"ifname":"lo","flags":["LOOPBACK","UP"]},
                 {"ifname":"banger0","flags":["BROADCAST"],"linkinfo":{"info_kind":"bridge"},
                  "addr_info":[{"family":"inet","local":"172.30.0.1","prefixlen":24}]}]""", "");

        network.ensureBridge();

        assertThat(fake.commands.recorded()).containsExactly(LIST_LINKS, List.of("ip", "link", "set", "dev", "banger0", "up"));
    }

    @Test
    void ensureBridgeOnABareHostCreatesTheBridge() {
        fake.commands.answer(LIST_LINKS, 0, "[{\"ifname\":\"lo\",\"flags\":[\"UP\"]}]", "");

        network.ensureBridge();

        assertThat(fake.commands.recorded()).hasSize(4).contains(List.of("ip", "link", "add", "name", "banger0", "type", "bridge"));
    }

    @Test
    void listTapsReportsTapsButNotTunDevices() {
        fake.commands.answer(List.of("ip", "-j", "-d", "link", "show", "type", "tun"), 0, """
                [{"ifname":"tap-pool-0","linkinfo":{"info_kind":"tun","info_data":{"type":"tap"}}},
                 {"ifname":"wg-tun","linkinfo":{"info_kind":"tun","info_data":{"type":"tun"}}}]""", "");

        assertThat(network.listTaps()).containsExactly("tap-pool-0");
    }

    @Test
    void tapsOnBridgeAreThoseWhoseMasterIsTheBridge() {
        fake.commands.answer(List.of("ip", "-j", "-d", "link", "show", "type", "tun"), 0, """
                [{"ifname":"tap-pool-0","flags":["UP"],"master":"banger0","linkinfo":{"info_kind":"tun","info_data":{"type":"tap"}}},
                 {"ifname":"old-vm-tap","flags":["UP"],"master":"banger0","linkinfo":{"info_kind":"tun","info_data":{"type":"tap"}}},
                 {"ifname":"someone-elses","flags":["UP"],"master":"br1","linkinfo":{"info_kind":"tun","info_data":{"type":"tap"}}},
                 {"ifname":"tun0","flags":["UP"],"linkinfo":{"info_kind":"tun","info_data":{"type":"tun"}}}]""", "");

        assertThat(network.tapsOnBridge()).containsExactly("tap-pool-0", "old-vm-tap");
    }

    @Test
    void deletingAMissingTapIsNotAnError() {
        fake.commands.answer(FakeTaps.DEL, 1, "", "ioctl(TUNSETIFF): No such device");

        network.deleteTap("tap-gone");

        assertThat(fake.deleted()).containsExactly("tap-gone");
    }

    @Test
    void deletingATapThatStaysIsAnErrorNamingTheCommand() {
        fake.with("tap-busy");
        fake.commands.answer(FakeTaps.DEL, 1, "", "ioctl(TUNSETIFF): Device or resource busy");

        assertThatThrownBy(() -> network.deleteTap("tap-busy"))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("ip tuntap del dev tap-busy mode tap")
                .hasMessageContaining("exit 1")
                .hasMessageContaining("Device or resource busy");
    }

    @Test
    void tapThatCannotBeAttachedIsDeletedAgain() {
        fake.commands.answer(FakeTaps.ATTACH, 1, "", "Cannot find device \"banger0\"");

        assertThatThrownBy(() -> network.createTap("tap-x")).hasMessageContaining("master banger0");

        assertThat(fake.created()).containsExactly("tap-x");
        assertThat(fake.deleted()).containsExactly("tap-x");
        assertThat(fake.taps()).isEmpty();
    }

    @Test
    void invalidTapNameRunsNothing() {
        assertThatThrownBy(() -> network.createTap("x;reboot")).isInstanceOf(NetworkException.class);
        assertThatThrownBy(() -> network.deleteTap("../../etc")).isInstanceOf(NetworkException.class);
        assertThat(fake.commands.recorded()).isEmpty();
    }
}
