package dev.banger.guestconfig;

import dev.banger.model.Ipv4Subnet;
import java.net.Inet4Address;
import java.util.Objects;

/**
 * The guest's IPv4 address with its prefix length, as the kernel command line carries it
 * ({@code banger.ip=172.30.0.2/24}). Immutable.
 *
 * @param address      a host address of its network: neither the network nor the broadcast address
 * @param prefixLength 8..30, as for the bridge subnet: the guest needs an on-link gateway
 */
public record GuestAddress(Inet4Address address, int prefixLength) {
    /** @throws GuestConfigException when the prefix is out of range or the address is not a host address */
    public GuestAddress {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 8 || prefixLength > 30) {
            throw GuestConfigException.invalid("guest address " + Ipv4.format(address) + "/" + prefixLength
                    + " has a prefix length outside 8..30");
        }
        int value = Ipv4.toInt(address);
        Ipv4Subnet subnet = Ipv4Subnet.containing(value, prefixLength);
        if (value == subnet.network() || value == subnet.broadcast()) {
            throw GuestConfigException.invalid("guest address " + Ipv4.format(address) + "/" + prefixLength
                    + " is the network or broadcast address of its subnet, not a host address");
        }
    }

    /**
     * Parses {@code ADDR/PREFIX}, e.g. {@code 172.30.0.2/24}.
     *
     * @throws GuestConfigException quoting the text
     */
    public static GuestAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[1-9]\\d?")) {
            throw GuestConfigException.invalid("guest address \"" + text + "\" is not ADDR/PREFIX (expected e.g. 172.30.0.2/24)");
        }
        return new GuestAddress(Ipv4.parse(text.substring(0, slash), "guest address"), Integer.parseInt(text.substring(slash + 1)));
    }

    /** Whether {@code other} is in this address's subnet. */
    public boolean sameSubnet(Inet4Address other) {
        return subnet().contains(Ipv4.toInt(other));
    }

    /** The subnet this address is a host of. */
    public Ipv4Subnet subnet() {
        return Ipv4Subnet.containing(Ipv4.toInt(address), prefixLength);
    }

    /** {@code ADDR/PREFIX}, the form {@code banger.ip=} takes. */
    @Override
    public String toString() {
        return Ipv4.format(address) + "/" + prefixLength;
    }
}
