package dev.banger.guestconfig;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict dotted-quad IPv4 literals, never a name lookup. Leading zeros are refused because
 * {@code inet_aton} (and so some guest tools) reads {@code 010} as octal. Stateless and thread-safe.
 */
final class Ipv4 {
    private static final Pattern SYNTAX = Pattern.compile("(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})\\.(0|[1-9]\\d{0,2})");

    private Ipv4() {}

    /** @throws GuestConfigException naming {@code what} and quoting {@code text} */
    static Inet4Address parse(String text, String what) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw GuestConfigException.invalid(what + " \"" + text + "\" is not an IPv4 address (expected e.g. 172.30.0.2)");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) {
                throw GuestConfigException.invalid(what + " \"" + text + "\" is not an IPv4 address (octet " + octet + " is above 255)");
            }
            bytes[i] = (byte) octet;
        }
        return of(bytes);
    }

    static Inet4Address of(int value) {
        return of(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    static String format(Inet4Address address) {
        return address.getHostAddress();
    }

    private static Inet4Address of(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
