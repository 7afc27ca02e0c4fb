package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {
    @Test
    void slash24ReservesTheGatewayAndBroadcast() {
        Ipv4Subnet subnet = Ipv4Subnet.parse("172.30.0.0/24");

        assertThat(Ipv4Subnet.formatAddress(subnet.gateway())).isEqualTo("172.30.0.1");
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
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessageContaining("did you mean 172.30.0.0/24?");
    }

    @Test
    void malformedSubnetsAreInvalidArguments() {
        for (String bad : new String[] {"172.30.0.0", "172.30.0/24", "172.30.0.256/24", "172.30.0.0/31", "172.30.0.0/x",
                "01.2.3.0/24", " 1.2.3.0/24", "1.2.3.0/"}) {
            assertThatThrownBy(() -> Ipv4Subnet.parse(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                    .hasMessageContaining("invalid subnet '" + bad + "'");
        }
    }
}
