package dev.banger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.Ipv4Subnet;
import org.junit.jupiter.api.Test;

class SubnetSettingTest {
    @Test
    void exposesNetworkGatewayAndMask() {
        Ipv4Subnet subnet = SubnetSetting.parse("172.30.0.0/24");

        assertThat(subnet.networkAddress()).isEqualTo("172.30.0.0");
        assertThat(subnet.gateway()).isEqualTo("172.30.0.1");
        assertThat(subnet.netmask()).isEqualTo("255.255.255.0");
        assertThat(subnet.prefixLength()).isEqualTo(24);
        assertThat(subnet.guestCapacity()).isEqualTo(253);
        assertThat(subnet).hasToString("172.30.0.0/24");
    }

    @Test
    void handlesHighAddressesAsUnsigned() {
        assertThat(SubnetSetting.parse("192.168.128.0/17").netmask()).isEqualTo("255.255.128.0");
        assertThat(SubnetSetting.parse("240.0.0.0/8").gateway()).isEqualTo("240.0.0.1");
    }

    @Test
    void rejectsOctetsAboveTwoFiftyFive() {
        assertThatThrownBy(() -> SubnetSetting.parse("10.0.256.0/24")).hasMessageContaining("octet 256");
    }

    @Test
    void rejectsTextThatIsNotCidr() {
        assertThatThrownBy(() -> SubnetSetting.parse("10.0.0.0")).hasMessageContaining("is not an IPv4 CIDR");
        assertThatThrownBy(() -> SubnetSetting.parse("fd00::/64")).hasMessageContaining("is not an IPv4 CIDR");
    }

    @Test
    void rejectsImplausiblyWideNetworks() {
        assertThatThrownBy(() -> SubnetSetting.parse("0.0.0.0/0")).hasMessageContaining("/8 or longer");
    }

    @Test
    void holdsTheConfigToPrefixesEightToThirty() {
        assertThat(SubnetSetting.parse("10.0.0.0/8").prefixLength()).isEqualTo(8);
        assertThat(SubnetSetting.parse("10.0.0.0/30").prefixLength()).isEqualTo(30);
        assertThatThrownBy(() -> SubnetSetting.parse("10.0.0.0/7")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("/8 or longer");
        assertThatThrownBy(() -> SubnetSetting.parse("10.0.0.0/31")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("/30 or shorter");
    }

    @Test
    void rejectsHostBitsNamingTheNetwork() {
        assertThatThrownBy(() -> SubnetSetting.parse("172.30.0.5/24")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("did you mean 172.30.0.0/24?");
    }
}
