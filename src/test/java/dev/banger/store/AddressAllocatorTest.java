package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.Ipv4Subnet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressAllocatorTest {
    private final Ipv4Subnet subnet = Ipv4Subnet.parse("172.30.0.0/29");

    private static int ip(String text) {
        return Ipv4Subnet.parseAddress(text);
    }

    @Test
    void lowestFreeAddressFillsGapsFirst() {
        var used = Set.of(ip("172.30.0.2"), ip("172.30.0.4"));

        assertThat(AddressAllocator.lowestFreeAddress(subnet, used)).hasValue(ip("172.30.0.3"));
    }

    @Test
    void addressesOutsideTheSubnetDoNotCount() {
        var used = Set.of(ip("10.0.0.2"));

        assertThat(AddressAllocator.lowestFreeAddress(subnet, used)).hasValue(ip("172.30.0.2"));
    }

    @Test
    void fullSubnetHasNoFreeAddress() {
        var used = Set.of(ip("172.30.0.2"), ip("172.30.0.3"), ip("172.30.0.4"), ip("172.30.0.5"), ip("172.30.0.6"));

        assertThat(AddressAllocator.lowestFreeAddress(subnet, used)).isEmpty();
    }

    @Test
    void cidsStartAtThreeAndFillGaps() {
        assertThat(AddressAllocator.lowestFreeCid(Set.of())).isEqualTo(3);
        assertThat(AddressAllocator.lowestFreeCid(Set.of(3L, 4L, 6L))).isEqualTo(5);
    }

    @Test
    void macIsLocallyAdministeredAndCarriesTheAddress() {
        assertThat(AddressAllocator.macFor(ip("172.30.0.2"))).isEqualTo("02:bf:ac:1e:00:02");
        assertThat(AddressAllocator.macFor(ip("255.0.10.254"))).isEqualTo("02:bf:ff:00:0a:fe");
    }
}
