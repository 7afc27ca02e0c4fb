package dev.banger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {
    @Test
    void slash24ReservesTheGatewayAndBroadcast() {
        Ipv4Subnet subnet = Ipv4Subnet.parse("172.30.0.0/24");

        assertThat(subnet.gateway()).isEqualTo("172.30.0.1");
        assertThat(Ipv4Subnet.formatAddress(subnet.firstGuest())).isEqualTo("172.30.0.2");
        assertThat(Ipv4Subnet.formatAddress(subnet.lastGuest())).isEqualTo("172.30.0.254");
        assertThat(subnet.guestCapacity()).isEqualTo(253);
        assertThat(subnet).hasToString("172.30.0.0/24");
    }

    @Test
    void highAddressesAreHandledAsUnsigned() {
        Ipv4Subnet subnet = Ipv4Subnet.parse("240.0.0.0/30");

        assertThat(Ipv4Subnet.formatAddress(subnet.firstGuest())).isEqualTo("240.0.0.2");
        assertThat(subnet.guestCapacity()).isEqualTo(1);
        assertThat(subnet.contains(Ipv4Subnet.parseAddress("240.0.0.3"))).isTrue();
        assertThat(subnet.contains(Ipv4Subnet.parseAddress("240.0.0.4"))).isFalse();
    }

    @Test
    void hostBitsAreRejectedWithTheLikelyIntendedSubnet() {
        assertThatThrownBy(() -> Ipv4Subnet.parse("172.30.0.5/24"))
                .isInstanceOfSatisfying(InvalidSubnetException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("did you mean 172.30.0.0/24?");
    }

    @Test
    void malformedSubnetsAreInvalidArguments() {
        for (String bad : new String[] {"172.30.0.0", "172.30.0/24", "172.30.0.256/24", "172.30.0.0/31", "172.30.0.0/x",
                "01.2.3.0/24", " 1.2.3.0/24", "1.2.3.0/"}) {
            assertThatThrownBy(() -> Ipv4Subnet.parse(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(InvalidSubnetException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("invalid subnet '" + bad + "'");
        }
    }

    @Test
    void exposesNetworkAddressAndMask() {
        Ipv4Subnet subnet = Ipv4Subnet.parse("192.168.128.0/17");

        assertThat(subnet.networkAddress()).isEqualTo("192.168.128.0");
        assertThat(subnet.netmask()).isEqualTo("255.255.128.0");
        assertThat(Ipv4Subnet.formatAddress(subnet.broadcast())).isEqualTo("192.168.255.255");
    }

    @Test
    void prefixesOneToThirtyAreAllowedOthersRefused() {
        assertThat(Ipv4Subnet.parse("0.0.0.0/1").guestCapacity()).isEqualTo((1L << 31) - 3);
        assertThat(Ipv4Subnet.parse("10.0.0.0/30").guestCapacity()).isEqualTo(1);
        assertThatThrownBy(() -> new Ipv4Subnet(0, 0)).isInstanceOf(InvalidSubnetException.class)
                .hasMessageContaining("between 1 and 30");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.0/31")).hasMessageContaining("between 1 and 30");
    }

    @Test
    void containingClearsTheHostBits() {
        Ipv4Subnet subnet = Ipv4Subnet.containing(Ipv4Subnet.parseAddress("172.30.0.9"), 24);

        assertThat(subnet).hasToString("172.30.0.0/24");
        assertThat(subnet.contains(Ipv4Subnet.parseAddress("172.30.0.255"))).isTrue();
        assertThat(subnet.contains(Ipv4Subnet.parseAddress("172.30.1.0"))).isFalse();
    }
}
