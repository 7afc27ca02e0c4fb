package dev.banger.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One published port of a VM: connections to {@code hostAddress:hostPort} on the host reach the
 * guest's {@code guestPort}. The host address is an IPv4 literal: {@link #LOOPBACK} unless the
 * user names another, {@link #ANY} for every address of the host (loopback included). Written
 * {@code [HOST_ADDR:]HOST_PORT:GUEST_PORT[/tcp|udp]}, as {@code vm create --publish} and
 * {@code vm port add} take it ({@link #parse}). Immutable value.
 *
 * @param hostAddress IPv4 literal the host accepts connections on
 * @param hostPort    1–65535
 * @param guestPort   1–65535
 * @param protocol    {@code tcp} or {@code udp}
 */
public record PortForward(String hostAddress, int hostPort, int guestPort, String protocol) {
    /** The default host address: only this host's own programs reach the forward. */
    public static final String LOOPBACK = "127.0.0.1";
    /** Every address of the host, given explicitly: other machines reach the forward too. */
    public static final String ANY = "0.0.0.0";
    public static final List<String> PROTOCOLS = List.of("tcp", "udp");

    private static final Pattern OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final String FORM = "[HOST_ADDR:]HOST_PORT:GUEST_PORT[/tcp|udp], e.g. 8080:80 or 127.0.0.1:2222:22/tcp";

    public PortForward {
        Objects.requireNonNull(hostAddress, "hostAddress");
        Objects.requireNonNull(protocol, "protocol");
        requireAddress(hostAddress, hostAddress);
        requirePort("host port", hostPort, Integer.toString(hostPort));
        requirePort("guest port", guestPort, Integer.toString(guestPort));
        if (!PROTOCOLS.contains(protocol)) {
            throw new PortSpecException("protocol '" + protocol + "' is not tcp or udp");
        }
    }

    /** A TCP forward from {@link #LOOPBACK}. */
    public static PortForward loopback(int hostPort, int guestPort) {
        return new PortForward(LOOPBACK, hostPort, guestPort, "tcp");
    }

    /** Parses {@code [HOST_ADDR:]HOST_PORT:GUEST_PORT[/tcp|udp]}; the address defaults to {@link #LOOPBACK}, the protocol to tcp. */
    public static PortForward parse(String spec) {
        HostSide side = HostSide.parse(spec);
        if (side.guestPort() == null) {
            throw new PortSpecException("'" + spec + "' has no guest port: write " + FORM);
        }
        return new PortForward(side.address(), side.port(), side.guestPort(), side.protocol());
    }

    /** {@code 127.0.0.1:8080:80/tcp}: the spec {@link #parse} reads back to this forward. */
    public String spec() {
        return hostAddress + ":" + hostPort + ":" + guestPort + "/" + protocol;
    }

    /** {@code 127.0.0.1:8080/tcp}: what the host listens on. */
    public String hostSide() {
        return hostAddress + ":" + hostPort + "/" + protocol;
    }

    /** Whether the two would catch the same connections: one protocol, one port, the same address or either {@link #ANY}. */
    public boolean clashesWith(PortForward other) {
        return protocol.equals(other.protocol) && hostPort == other.hostPort
                && (hostAddress.equals(other.hostAddress) || hostAddress.equals(ANY) || other.hostAddress.equals(ANY));
    }

    /** Whether connections to a loopback address are forwarded (which needs the kernel's route_localnet). */
    public boolean reachesLoopback() {
        return hostAddress.equals(ANY) || hostAddress.startsWith("127.");
    }

    /** Whether this forward is the one {@code side} names (its guest port, when given, must match too). */
    public boolean matches(HostSide side) {
        return hostAddress.equals(side.address()) && hostPort == side.port() && protocol.equals(side.protocol())
                && (side.guestPort() == null || side.guestPort() == guestPort);
    }

    /**
     * The host side of a forward, as {@code vm port rm} takes it: {@code [HOST_ADDR:]HOST_PORT[/tcp|udp]},
     * or a whole spec (then its guest port must match too). Immutable value.
     *
     * @param guestPort the guest port when the text gave one, else null
     */
    public record HostSide(String address, int port, String protocol, Integer guestPort) {
        /**
         * Reads {@code [HOST_ADDR:]HOST_PORT[:GUEST_PORT][/tcp|udp]}. Two parts are an address and a
         * port when the first has a dot (an IPv4 literal), else host and guest port.
         */
        public static HostSide parse(String text) {
            if (text == null || text.isBlank()) {
                throw new PortSpecException("a port forward is required: write " + FORM);
            }
            String body = text.strip();
            String protocol = "tcp";
            int slash = body.lastIndexOf('/');
            if (slash >= 0) {
                protocol = body.substring(slash + 1).toLowerCase(Locale.ROOT);
                body = body.substring(0, slash);
                if (!PROTOCOLS.contains(protocol)) {
                    throw new PortSpecException("'" + text + "': the protocol after '/' must be tcp or udp, not '"
                            + text.substring(slash + 1) + "'");
                }
            }
            String[] parts = body.split(":", -1);
            String address = LOOPBACK;
            int first = 0;
            if (parts.length == 3 || (parts.length == 2 && parts[0].contains("."))) {
                address = parts[0];
                requireAddress(address, text);
                first = 1;
            } else if (parts.length > 3 || parts.length < 1) {
                throw new PortSpecException("'" + text + "' is not a port forward: write " + FORM);
            }
            int port = portNumber("host port", parts[first], text);
            Integer guest = parts.length > first + 1 ? portNumber("guest port", parts[first + 1], text) : null;
            return new HostSide(address, port, protocol, guest);
        }

        /** {@code 127.0.0.1:8080/tcp}. */
        public String describe() {
            return address + ":" + port + "/" + protocol;
        }
    }

    private static int portNumber(String what, String text, String spec) {
        if (!text.matches("[0-9]{1,5}")) {
            throw new PortSpecException("'" + spec + "': " + what + " '" + text + "' is not a number from 1 to 65535 (write " + FORM + ")");
        }
        int port = Integer.parseInt(text);
        requirePort(what, port, spec);
        return port;
    }

    private static void requirePort(String what, int port, String spec) {
        if (port < 1 || port > 65535) {
            throw new PortSpecException("'" + spec + "': " + what + " " + port + " is out of range 1-65535");
        }
    }

    private static void requireAddress(String address, String spec) {
        String[] octets = address.split("\\.", -1);
        boolean valid = octets.length == 4;
        for (int i = 0; valid && i < 4; i++) {
            valid = OCTET.matcher(octets[i]).matches() && Integer.parseInt(octets[i]) <= 255;
        }
        if (!valid) {
            throw new PortSpecException("'" + spec + "': host address '" + address
                    + "' is not an IPv4 address such as 127.0.0.1 (names and IPv6 are not taken; 0.0.0.0 means every address of the host)");
        }
    }
}
