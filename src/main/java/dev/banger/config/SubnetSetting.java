package dev.banger.config;

import dev.banger.model.Ipv4Subnet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code [network] subnet} setting into an {@link Ipv4Subnet}, holding it to a stricter
 * rule than the record's: a prefix of 8..30, because a wider network is implausible for a VM
 * bridge and a typo there would claim a huge slice of the host's address space. Each error says
 * what is wrong and quotes the text. Stateless.
 */
public final class SubnetSetting {
    private static final Pattern SYNTAX = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    private SubnetSetting() {}

    /**
     * Parses {@code a.b.c.d/n}, surrounding blanks ignored.
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
        if ((address & ~Ipv4Subnet.mask(prefix)) != 0) {
            throw new ConfigException(quoted + " has host bits set: did you mean "
                    + Ipv4Subnet.formatAddress(address & Ipv4Subnet.mask(prefix)) + "/" + prefix + "?");
        }
        return new Ipv4Subnet(address, prefix);
    }
}
