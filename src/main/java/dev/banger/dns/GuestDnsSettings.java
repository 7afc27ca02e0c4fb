package dev.banger.dns;

import dev.banger.model.ErrorKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * What the guest DNS server listens on and answers for. Immutable.
 *
 * @param listen          UDP and TCP address; in production the bridge's gateway address on port 53,
 *                        in tests loopback on port 0 (any free port, the same one for UDP and TCP)
 * @param domain          the guests' DNS suffix ({@code NetworkConfig.domain}, e.g. {@code banger.internal});
 *                        matched case-insensitively
 * @param upstreams       where names outside {@code domain} are forwarded, tried in order (usually
 *                        {@link ResolvConf#read}); empty means every such query gets SERVFAIL
 * @param upstreamTimeout how long one forwarded query may take in total, across all upstreams
 * @param ttl             TTL of guest records and of negative answers; short, since VMs come and go
 */
public record GuestDnsSettings(
        InetSocketAddress listen, String domain, List<InetSocketAddress> upstreams, Duration upstreamTimeout, Duration ttl) {
    public static final int DNS_PORT = 53;
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
    private static final Duration MAX_UPSTREAM_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_TTL = Duration.ofHours(1);
    private static final Pattern DOMAIN_SYNTAX =
            Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");

    /** @throws DnsException naming the bad value */
    public GuestDnsSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(upstreams, "upstreams");
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
        Objects.requireNonNull(ttl, "ttl");
        if (listen.isUnresolved()) {
            throw invalid("listen address " + listen + " must be an IP address, not a host name");
        }
        domainName(domain);
        upstreams = List.copyOf(upstreams);
        for (InetSocketAddress upstream : upstreams) {
            if (upstream.isUnresolved()) {
                throw invalid("upstream resolver " + upstream + " must be an IP address, not a host name");
            }
            if (upstream.equals(listen)) {
                throw invalid("upstream resolver " + upstream + " is this server's own address: forwarding would loop");
            }
        }
        if (upstreamTimeout.isNegative() || upstreamTimeout.isZero() || upstreamTimeout.compareTo(MAX_UPSTREAM_TIMEOUT) > 0) {
            throw invalid("upstream timeout must be above 0 and at most " + MAX_UPSTREAM_TIMEOUT.toSeconds() + " s, got " + upstreamTimeout);
        }
        if (ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0 || ttl.toMillis() % 1000 != 0) {
            throw invalid("ttl must be whole seconds from 0 to " + MAX_TTL.toSeconds() + " s, got " + ttl);
        }
    }

    /** The production shape: {@code gateway:53}, default timeout and TTL. */
    public static GuestDnsSettings forGateway(InetAddress gateway, String domain, List<InetSocketAddress> upstreams) {
        return new GuestDnsSettings(new InetSocketAddress(gateway, DNS_PORT), domain, upstreams, DEFAULT_UPSTREAM_TIMEOUT, DEFAULT_TTL);
    }

    /** The same settings listening on {@code listen} instead. */
    public GuestDnsSettings withListen(InetSocketAddress newListen) {
        return new GuestDnsSettings(newListen, domain, upstreams, upstreamTimeout, ttl);
    }

    /** The same settings with another total upstream timeout. */
    public GuestDnsSettings withUpstreamTimeout(Duration timeout) {
        return new GuestDnsSettings(listen, domain, upstreams, timeout, ttl);
    }

    /** {@link #domain} as an absolute DNS name. */
    Name domainName() {
        return domainName(domain);
    }

    private static Name domainName(String domain) {
        String text = domain.strip();
        if (text.isEmpty() || text.equals(".")) {
            throw invalid("DNS domain must not be empty or the root");
        }
        if (!DOMAIN_SYNTAX.matcher(text).matches()) {
            throw invalid("DNS domain \"" + domain + "\" is not a valid domain name"
                    + " (labels of letters, digits and inner hyphens, e.g. banger.internal)");
        }
        try {
            return Name.fromString(text, Name.root);
        } catch (TextParseException e) {
            throw new DnsException(ErrorKind.INVALID_ARGUMENT, "DNS domain \"" + domain + "\" is not a valid domain name: " + e.getMessage(), e);
        }
    }

    private static DnsException invalid(String message) {
        return new DnsException(ErrorKind.INVALID_ARGUMENT, message);
    }
}
