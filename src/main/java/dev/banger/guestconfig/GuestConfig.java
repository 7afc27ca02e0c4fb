package dev.banger.guestconfig;

import java.net.Inet4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one guest is told at boot: its hostname, network (address, gateway, resolvers, search
 * domain, optionally which interface), the filesystems it mounts and extra kernel arguments.
 * Built by {@link GuestConfigBuilder} from the capabilities' contributions and rendered onto the
 * kernel command line by {@link KernelCommandLine}. Every value is validated here, so a
 * {@code GuestConfig} always renders. Immutable.
 *
 * @param hostname     a DNS label: lower-case letters, digits, inner hyphens, 1..63 characters
 * @param address      the guest's address and prefix, or empty for a guest without network
 * @param gateway      default route, in the address's subnet; empty for no default route
 * @param resolvers    nameservers for the guest's resolv.conf, at most {@link #MAX_RESOLVERS}
 * @param searchDomain resolv.conf search domain, e.g. {@code banger.internal}
 * @param iface        the guest interface to configure; empty for the first one that is not loopback
 * @param mounts       in mount order (parents before children), mount points distinct
 * @param kernelArgs   further arguments, each one word, none of them a {@code banger.*} key this type owns
 */
public record GuestConfig(
        String hostname,
        Optional<GuestAddress> address,
        Optional<Inet4Address> gateway,
        List<Inet4Address> resolvers,
        Optional<String> searchDomain,
        Optional<String> iface,
        List<GuestMount> mounts,
        List<String> kernelArgs) {
    /** glibc reads at most three nameservers ({@code MAXNS}). */
    public static final int MAX_RESOLVERS = 3;

    /** The kernel command line keys that carry this config; capabilities may not set them directly. */
    public static final Set<String> RESERVED_KEYS = Set.of(
            "banger.ip", "banger.gw", "banger.dns", "banger.iface", "banger.hostname", "banger.search", "banger.mount",
            "banger.mac");

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,14}");
    private static final int MAX_ARG = 512;

    /** @throws GuestConfigException naming the bad value */
    public GuestConfig {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(searchDomain, "searchDomain");
        Objects.requireNonNull(iface, "iface");
        resolvers = List.copyOf(resolvers);
        mounts = List.copyOf(mounts);
        kernelArgs = List.copyOf(kernelArgs);
        checkHostname(hostname);
        searchDomain.ifPresent(GuestConfig::checkSearchDomain);
        iface.ifPresent(GuestConfig::checkIface);
        if (gateway.isPresent()) {
            checkGateway(address.orElseThrow(() -> GuestConfigException.invalid(
                    "gateway " + gateway.get().getHostAddress() + " given without a guest address")), gateway.get());
        }
        if (resolvers.size() > MAX_RESOLVERS || Set.copyOf(resolvers).size() != resolvers.size()) {
            throw GuestConfigException.invalid("resolvers " + format(resolvers) + " must be at most " + MAX_RESOLVERS + " distinct addresses");
        }
        Set<String> mountPoints = new HashSet<>();
        for (GuestMount mount : mounts) {
            if (!mountPoints.add(mount.mountPoint())) {
                throw GuestConfigException.conflict("two mounts on " + mount.mountPoint() + " in " + mounts);
            }
        }
        for (String arg : kernelArgs) {
            checkKernelArg(arg);
        }
    }

    /** A builder to collect the capabilities' contributions. */
    public static GuestConfigBuilder builder() {
        return new GuestConfigBuilder();
    }

    static void checkHostname(String hostname) {
        if (!LABEL.matcher(hostname).matches()) {
            throw GuestConfigException.invalid("hostname \"" + hostname + "\" is not a DNS label: use 1..63 lower-case letters,"
                    + " digits and hyphens, starting and ending with a letter or digit");
        }
    }

    static void checkSearchDomain(String domain) {
        if (!DOMAIN.matcher(domain).matches() || domain.length() > 253) {
            throw GuestConfigException.invalid("search domain \"" + domain + "\" is not a domain name: use lower-case"
                    + " labels of letters, digits and inner hyphens separated by dots, e.g. banger.internal");
        }
    }

    static void checkIface(String iface) {
        if (!IFACE.matcher(iface).matches()) {
            throw GuestConfigException.invalid("interface name \"" + iface + "\" must be 1..15 letters, digits, '_', '.', '-'"
                    + " not starting with '.'");
        }
    }

    static void checkGateway(GuestAddress address, Inet4Address gateway) {
        if (gateway.equals(address.address())) {
            throw GuestConfigException.invalid("gateway " + gateway.getHostAddress() + " is the guest's own address");
        }
        if (!address.sameSubnet(gateway)) {
            throw GuestConfigException.invalid("gateway " + gateway.getHostAddress() + " is outside the guest's subnet " + address
                    + ": the default route needs an on-link gateway");
        }
    }

    /**
     * One word for the kernel: printable ASCII without spaces or quotes (the kernel would split or
     * unquote them), not {@code --} (everything after it goes to init), not a reserved key.
     */
    static void checkKernelArg(String arg) {
        if (arg.isEmpty() || arg.length() > MAX_ARG || !arg.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"')) {
            throw GuestConfigException.invalid("kernel argument \"" + arg + "\" must be 1.." + MAX_ARG
                    + " printable ASCII characters without spaces or quotes");
        }
        if (arg.equals("--")) {
            throw GuestConfigException.invalid("kernel argument \"--\" would hand the rest of the command line to init");
        }
        if (RESERVED_KEYS.contains(key(arg))) {
            throw GuestConfigException.invalid("kernel argument \"" + arg + "\" sets " + key(arg)
                    + ", which the guest config owns: contribute it through GuestConfigBuilder instead");
        }
    }

    /** The part before the first {@code =}, or the whole word for a flag. */
    static String key(String arg) {
        int equals = arg.indexOf('=');
        return equals < 0 ? arg : arg.substring(0, equals);
    }

    static String format(List<Inet4Address> addresses) {
        return addresses.stream().map(Inet4Address::getHostAddress).toList().toString();
    }
}
