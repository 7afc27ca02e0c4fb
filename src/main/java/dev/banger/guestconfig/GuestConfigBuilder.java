package dev.banger.guestconfig;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Collects the guest config from several contributors (the create pipeline, then each capability)
 * and refuses contributions that disagree. Single values (hostname, address, gateway, search
 * domain, interface) may be given twice only with the same value; mounts may not share a mount
 * point; kernel arguments may not give one key two values. The error names both values and both
 * contributors. Resolvers accumulate (duplicates are dropped) up to {@link GuestConfig#MAX_RESOLVERS}.
 * Every value is validated when contributed, and a refused contribution changes nothing.
 *
 * <p>{@link #from(String)} returns a view that records who contributes: {@code
 * builder.from("work-disk").mount(...)}. All views share one set of contributions. Not thread-safe:
 * one builder per VM create, used by one thread.
 */
public final class GuestConfigBuilder {
    private static final String DEFAULT_SOURCE = "banger";
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private record Sourced<T>(T value, String source) {
        @Override
        public String toString() {
            String shown = value instanceof InetAddress inet ? inet.getHostAddress() : String.valueOf(value);
            return shown + " (from " + source + ")";
        }
    }

    /** The contributions, shared by every view. */
    private static final class State {
        Sourced<String> hostname;
        Sourced<GuestAddress> address;
        Sourced<Inet4Address> gateway;
        Sourced<String> searchDomain;
        Sourced<String> iface;
        final List<Sourced<Inet4Address>> resolvers = new ArrayList<>();
        final List<Sourced<GuestMount>> mounts = new ArrayList<>();
        final List<Sourced<String>> kernelArgs = new ArrayList<>();
    }

    private final State state;
    private final String source;

    GuestConfigBuilder() {
        this(new State(), DEFAULT_SOURCE);
    }

    private GuestConfigBuilder(State state, String source) {
        this.state = state;
        this.source = source;
    }

    /**
     * A view of this builder whose contributions are attributed to {@code contributor} in errors.
     *
     * @param contributor a short name, e.g. a capability's ({@code work-disk}, {@code dns})
     */
    public GuestConfigBuilder from(String contributor) {
        if (!SOURCE.matcher(contributor).matches()) {
            throw GuestConfigException.invalid("contributor name \"" + contributor + "\" must be 1..64 letters, digits, '_', '.', '-'");
        }
        return new GuestConfigBuilder(state, contributor);
    }

    /** The guest's hostname, a DNS label (usually the VM name). */
    public GuestConfigBuilder hostname(String hostname) {
        GuestConfig.checkHostname(hostname);
        state.hostname = once(state.hostname, hostname, "hostnames");
        return this;
    }

    public GuestConfigBuilder address(GuestAddress address) {
        Objects.requireNonNull(address, "address");
        if (state.gateway != null) {
            checkGatewayAgainst(address, state.gateway);
        }
        state.address = once(state.address, address, "guest addresses");
        return this;
    }

    /** @param address {@code ADDR/PREFIX}, e.g. {@code 172.30.0.2/24} */
    public GuestConfigBuilder address(String address) {
        return address(GuestAddress.parse(address));
    }

    public GuestConfigBuilder gateway(Inet4Address gateway) {
        Objects.requireNonNull(gateway, "gateway");
        if (state.address != null) {
            checkGatewayAgainst(state.address.value(), new Sourced<>(gateway, source));
        }
        state.gateway = once(state.gateway, gateway, "gateways");
        return this;
    }

    public GuestConfigBuilder gateway(String gateway) {
        return gateway(Ipv4.parse(gateway, "gateway"));
    }

    /** Adds a nameserver; giving one that is already there is a no-op. */
    public GuestConfigBuilder resolver(Inet4Address resolver) {
        Objects.requireNonNull(resolver, "resolver");
        if (state.resolvers.stream().anyMatch(r -> r.value().equals(resolver))) {
            return this;
        }
        if (state.resolvers.size() == GuestConfig.MAX_RESOLVERS) {
            throw GuestConfigException.conflict("resolver " + resolver.getHostAddress() + " (from " + source + ") would be one more than the "
                    + GuestConfig.MAX_RESOLVERS + " the guest reads; already have " + state.resolvers);
        }
        state.resolvers.add(new Sourced<>(resolver, source));
        return this;
    }

    public GuestConfigBuilder resolver(String resolver) {
        return resolver(Ipv4.parse(resolver, "resolver"));
    }

    /** The resolv.conf search domain, e.g. {@code banger.internal}. */
    public GuestConfigBuilder searchDomain(String domain) {
        GuestConfig.checkSearchDomain(domain);
        state.searchDomain = once(state.searchDomain, domain, "search domains");
        return this;
    }

    /** The guest interface to configure, when it is not simply the first non-loopback one. */
    public GuestConfigBuilder iface(String iface) {
        GuestConfig.checkIface(iface);
        state.iface = once(state.iface, iface, "interfaces");
        return this;
    }

    /** Adds a mount; the same mount given again is a no-op, another on the same mount point is a conflict. */
    public GuestConfigBuilder mount(GuestMount mount) {
        Objects.requireNonNull(mount, "mount");
        for (Sourced<GuestMount> existing : state.mounts) {
            if (existing.value().mountPoint().equals(mount.mountPoint())) {
                if (existing.value().equals(mount)) {
                    return this;
                }
                throw GuestConfigException.conflict("conflicting mounts on " + mount.mountPoint() + ": " + existing
                        + " and " + new Sourced<>(mount, source));
            }
        }
        state.mounts.add(new Sourced<>(mount, source));
        return this;
    }

    /**
     * Adds one kernel argument ({@code KEY=VALUE} or a flag). The same argument again is a no-op; the
     * same key with another value is a conflict, since the kernel would silently keep only the last.
     */
    public GuestConfigBuilder kernelArg(String arg) {
        GuestConfig.checkKernelArg(arg);
        String key = GuestConfig.key(arg);
        for (Sourced<String> existing : state.kernelArgs) {
            if (existing.value().equals(arg)) {
                return this;
            }
            if (GuestConfig.key(existing.value()).equals(key)) {
                throw GuestConfigException.conflict("conflicting kernel arguments for " + key + ": " + existing
                        + " and " + new Sourced<>(arg, source));
            }
        }
        state.kernelArgs.add(new Sourced<>(arg, source));
        return this;
    }

    /**
     * The collected config; mounts ordered parents first (by depth, then in contribution order).
     *
     * @throws GuestConfigException when no hostname was given, or a gateway without an address
     */
    public GuestConfig build() {
        if (state.hostname == null) {
            throw GuestConfigException.invalid("no hostname was contributed to the guest config");
        }
        List<GuestMount> mounts = state.mounts.stream()
                .map(Sourced::value)
                .sorted(Comparator.comparingInt(GuestMount::depth))
                .toList();
        return new GuestConfig(
                state.hostname.value(),
                value(state.address),
                value(state.gateway),
                state.resolvers.stream().map(Sourced::value).toList(),
                value(state.searchDomain),
                value(state.iface),
                mounts,
                state.kernelArgs.stream().map(Sourced::value).toList());
    }

    private <T> Sourced<T> once(Sourced<T> current, T value, String what) {
        if (current == null) {
            return new Sourced<>(value, source);
        }
        if (!current.value().equals(value)) {
            throw GuestConfigException.conflict("conflicting " + what + ": " + current + " and " + new Sourced<>(value, source));
        }
        return current;
    }

    private static void checkGatewayAgainst(GuestAddress address, Sourced<Inet4Address> gateway) {
        try {
            GuestConfig.checkGateway(address, gateway.value());
        } catch (GuestConfigException e) {
            throw GuestConfigException.invalid(e.getMessage() + " (gateway from " + gateway.source() + ")");
        }
    }

    private static <T> Optional<T> value(Sourced<T> sourced) {
        return sourced == null ? Optional.empty() : Optional.of(sourced.value());
    }
}
