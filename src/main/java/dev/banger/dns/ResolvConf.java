package dev.banger.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Address;

/**
 * Reads the upstream resolvers the host itself uses from {@code resolv.conf} text: the
 * {@code nameserver} lines, in order, at most {@link #MAX_NAMESERVERS} as glibc does. Everything
 * else ({@code search}, {@code options}, comments starting with {@code #} or {@code ;}) is ignored,
 * as are addresses that are not numeric literals or carry an IPv6 zone ({@code fe80::1%eth0}),
 * since resolving or binding those would need more than text. Stateless and thread-safe.
 */
public final class ResolvConf {
    /** glibc's {@code MAXNS}: later nameserver lines are ignored by the host too. */
    public static final int MAX_NAMESERVERS = 3;
    private static final int DNS_PORT = 53;

    private ResolvConf() {}

    /** The nameservers in {@code text}, each on port 53, without duplicates. */
    public static List<InetSocketAddress> parseNameservers(String text) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (!words[0].equals("nameserver") || words.length < 2) {
                continue;
            }
            InetAddress address = literal(words[1]);
            if (address == null || address.isAnyLocalAddress()) {
                continue;
            }
            InetSocketAddress server = new InetSocketAddress(address, DNS_PORT);
            if (!servers.contains(server)) {
                servers.add(server);
            }
            if (servers.size() == MAX_NAMESERVERS) {
                break;
            }
        }
        return List.copyOf(servers);
    }

    /**
     * The nameservers in the file at {@code path}; empty when the file does not exist (a host with no
     * resolver configured: forwarded queries then get SERVFAIL).
     *
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public static List<InetSocketAddress> read(Path path) {
        try {
            return parseNameservers(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The address written as a literal, or null; never a DNS lookup. */
    private static InetAddress literal(String text) {
        if (Address.isDottedQuad(text) || (text.indexOf(':') >= 0 && text.indexOf('%') < 0)) {
            try {
                return Address.getByAddress(text);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }
}
