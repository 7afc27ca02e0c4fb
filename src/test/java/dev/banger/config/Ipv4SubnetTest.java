package dev.banger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4SubnetTest {
    @Test
    void exposesNetworkGatewayAndMask() {
        Ipv4Subnet subnet = Ipv4Subnet.parse("172.30.0.0/24");

        assertThat(subnet.networkAddress()).isEqualTo("172.30.0.0");
        assertThat(subnet.gateway()).isEqualTo("172.30.0.1");
        assertThat(subnet.netmask()).isEqualTo("255.255.255.0");
        assertThat(subnet.prefixLength()).isEqualTo(24);
        assertThat(subnet.guestCapacity()).isEqualTo(253);
        assertThat(subnet).hasToString("172.30.0.0/24");
    }

    @Test
    void handlesHighAddressesAsUnsigned() {
        assertThat(Ipv4Subnet.parse("192.168.128.0/17").netmask()).isEqualTo("255.255.128.0");
        assertThat(Ipv4Subnet.parse("240.0.0.0/8").gateway()).isEqualTo("240.0.0.1");
    }

    @Test
    void rejectsOctetsAboveTwoFiftyFive() {
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.256.0/24")).hasMessageContaining("octet 256");
    }

    @Test
    void rejectsTextThatIsNotCidr() {
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.0")).hasMessageContaining("is not an IPv4 CIDR");
        assertThatThrownBy(() -> Ipv4Subnet.parse("fd00::/64")).hasMessageContaining("is not an IPv4 CIDR");
    }

    @Test
    void rejectsImplausiblyWideNetworks() {
        assertThatThrownBy(() -> Ipv4Subnet.parse("0.0.0.0/0")).hasMessageContaining("/8 or longer");
    }
}
