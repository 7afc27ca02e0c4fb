package dev.banger.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 network in CIDR form, e.g. {@code 172.30.0.0/24}, with no host bits set. The first host
 * address is the bridge's (the guests' gateway); guests get the following ones. Immutable.
 *
 * @param network      the network address as an unsigned 32-bit value held in an int
 * @param prefixLength 8..30: shorter is implausible for a VM bridge, longer leaves no room for guests
 */
public record Ipv4Subnet(int network, int prefixLength) {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    public Ipv4Subnet {
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException("prefix length must be 8..30, got " + prefixLength);
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set in " + format(network) + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code a.b.c.d/n}.
     *
     * @throws ConfigException saying what is wrong, quoting the text
     */
    public static Ipv4Subnet parse(String text) {
        String quoted = "\"" + text + "\"";
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new ConfigException(quoted + " is not an IPv4 CIDR (expected e.g. 172.30.0.0/24)");
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new ConfigException(quoted + " is not an IPv4 CIDR (octet " + octet + " is above 255)");
            }
            address = (address << 8) | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32) {
            throw new ConfigException(quoted + " is not an IPv4 CIDR (the prefix length must be 0..32)");
        }
        if (prefix > 30) {
            throw new ConfigException(quoted + " leaves no addresses for guests: use a prefix of /30 or shorter, e.g. /24");
        }
        if (prefix < 8) {
            throw new ConfigException(quoted + " is implausibly large for a VM network: use a prefix of /8 or longer, e.g. /24");
        }
        if ((address & ~mask(prefix)) != 0) {
            throw new ConfigException(quoted + " has host bits set: did you mean "
                    + format(address & mask(prefix)) + "/" + prefix + "?");
        }
        return new Ipv4Subnet(address, prefix);
    }

    public String networkAddress() {
        return format(network);
    }

    public String netmask() {
        return format(mask(prefixLength));
    }

    /** The first host address, taken by the bridge. */
    public String gateway() {
        return format(network + 1);
    }

    /** How many addresses guests can use: all hosts minus the gateway. */
    public long guestCapacity() {
        return (1L << (32 - prefixLength)) - 3;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
