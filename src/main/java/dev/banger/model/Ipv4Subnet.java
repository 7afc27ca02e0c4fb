package dev.banger.model;

/**
 * An IPv4 subnet such as {@code 172.30.0.0/24}: the guests' network. The first host address is
 * the gateway (the bridge's own address); guests get the addresses after it, up to but excluding
 * the broadcast address. The one subnet type of config, store, host network and guest config.
 * Immutable and thread-safe.
 *
 * <p>The record allows prefixes 1..30, the store's rule: room for the gateway and one guest is all
 * allocation needs. The config file is held to the stricter 8..30 ({@code config.SubnetSetting}),
 * since a wider network is implausible for a VM bridge.
 *
 * @param network      the network address as an unsigned 32-bit value in an int, no host bits set
 * @param prefixLength 1..30: a subnet needs room for the gateway and at least one guest
 */
public record Ipv4Subnet(int network, int prefixLength) {
    /** @throws InvalidSubnetException when the prefix is out of range or host bits are set */
    public Ipv4Subnet {
        if (prefixLength < 1 || prefixLength > 30) {
            throw invalid(formatAddress(network) + "/" + prefixLength,
                    "the prefix length must be between 1 and 30 so that there is room for the gateway and a guest");
        }
        if ((network & ~mask(prefixLength)) != 0) {
            String fixed = formatAddress(network & mask(prefixLength)) + "/" + prefixLength;
            throw invalid(formatAddress(network) + "/" + prefixLength,
                    "host bits are set; did you mean " + fixed + "?");
        }
    }

    /** The subnet of {@code prefixLength} bits that holds {@code address}. */
    public static Ipv4Subnet containing(int address, int prefixLength) {
        return new Ipv4Subnet(address & mask(prefixLength), prefixLength);
    }

    /** Parses {@code a.b.c.d/len} with a strict dotted quad; anything else is an {@link InvalidSubnetException}. */
    public static Ipv4Subnet parse(String cidr) {
        if (cidr == null) {
            throw invalid("null", "expected a subnet such as 172.30.0.0/24");
        }
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw invalid(cidr, "expected a subnet such as 172.30.0.0/24 (the /prefix is missing)");
        }
        int address;
        try {
            address = parseAddress(cidr.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw invalid(cidr, e.getMessage());
        }
        String len = cidr.substring(slash + 1);
        if (!len.matches("[0-9]{1,2}")) {
            throw invalid(cidr, "the prefix length '" + len + "' is not a number between 1 and 30");
        }
        return new Ipv4Subnet(address, Integer.parseInt(len));
    }

    public String networkAddress() {
        return formatAddress(network);
    }

    public String netmask() {
        return formatAddress(mask(prefixLength));
    }

    /** The bridge's address, the first host address, as a dotted quad. */
    public String gateway() {
        return formatAddress(network + 1);
    }

    /** The lowest address a guest may get (the one after the gateway). */
    public int firstGuest() {
        return network + 2;
    }

    /** The highest address a guest may get (the one before the broadcast address). */
    public int lastGuest() {
        return broadcast() - 1;
    }

    public int broadcast() {
        return network | ~mask(prefixLength);
    }

    /** How many guest addresses the subnet holds: all hosts minus the gateway. */
    public long guestCapacity() {
        return Integer.toUnsignedLong(lastGuest()) - Integer.toUnsignedLong(firstGuest()) + 1;
    }

    public boolean contains(int address) {
        return (address & mask(prefixLength)) == network;
    }

    @Override
    public String toString() {
        return formatAddress(network) + "/" + prefixLength;
    }

    /**
     * Parses a strict dotted quad (four decimal parts 0..255, no leading zeros, no spaces).
     *
     * @throws IllegalArgumentException quoting the text
     */
    public static int parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected four dot-separated numbers)");
        }
        int value = 0;
        for (String part : parts) {
            if (!part.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(part) > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address ('" + part + "' is not a number from 0 to 255)");
            }
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** The network mask of a prefix length 0..32, as an int. */
    public static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static InvalidSubnetException invalid(String cidr, String why) {
        return new InvalidSubnetException("invalid subnet '" + cidr + "': " + why);
    }
}
