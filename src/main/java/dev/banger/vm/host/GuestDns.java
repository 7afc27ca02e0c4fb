package dev.banger.vm.host;

import dev.banger.capability.GuestNames;
import dev.banger.dns.GuestDnsServer;
import dev.banger.dns.GuestDnsSettings;
import dev.banger.dns.ResolvConf;
import dev.banger.host.net.ResolvedLinkDns;
import dev.banger.vm.state.VmException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guest names: the {@code <vm>.<domain>} table and the DNS server that answers from it on the
 * bridge address, and the resolvers guests are given (that server, or the host's when it could not
 * start). While the server runs, the host resolves the names too where systemd-resolved runs
 * ({@link ResolvedLinkDns}: the domain routed to the server on the bridge link). Thread-safe.
 */
public final class GuestDns implements GuestNames, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuestDns.class);

    private final String gateway;
    private final String domain;
    private final String bridge;
    private final ResolvedLinkDns hostResolver;
    private final Map<String, Inet4Address> names = new ConcurrentHashMap<>();
    private volatile GuestDnsServer server;
    private volatile List<String> resolvers = List.of();
    private volatile boolean hostRouted;

    /**
     * @param bridge       the guests' bridge, the link whose DNS the host's resolver is told about
     * @param hostResolver systemd-resolved, where it runs
     */
    public GuestDns(String gateway, String domain, String bridge, ResolvedLinkDns hostResolver) {
        this.gateway = gateway;
        this.domain = domain;
        this.bridge = bridge;
        this.hostResolver = hostResolver;
    }

    /** Starts the server on the gateway; one that cannot bind is logged and guests use the host's resolvers. */
    public void start() {
        List<InetSocketAddress> upstreams = ResolvConf.read(Path.of("/etc/resolv.conf"));
        try {
            GuestDnsServer started = new GuestDnsServer(
                    GuestDnsSettings.forGateway(InetAddress.getByName(gateway), domain, upstreams),
                    name -> Optional.ofNullable(names.get(name)));
            started.start();
            server = started;
            resolvers = List.of(gateway);
            routeHostNames();
        } catch (RuntimeException | UnknownHostException e) {
            List<String> fallback = new ArrayList<>();
            upstreams.forEach(u -> fallback.add(u.getAddress().getHostAddress()));
            resolvers = List.copyOf(fallback);
            LOG.warn("guest DNS server not started on {}:53 ({}); guests use the host's resolvers {} and VM names"
                    + " do not resolve", gateway, e.getMessage(), resolvers);
        }
    }

    /** Has the host's resolver send {@code <vm>.<domain>} to the server; without resolved, doctor says how. */
    private void routeHostNames() {
        try {
            hostRouted = hostResolver.install(bridge, gateway, domain);
            if (hostRouted) {
                LOG.info("host names: systemd-resolved sends *.{} on {} to {}", domain, bridge, gateway);
            }
        } catch (RuntimeException e) {
            LOG.warn("host names: systemd-resolved did not take *.{} on {} ({}); VM names resolve in guests only",
                    domain, bridge, e.getMessage());
        }
    }

    /** What the start-up log says of it. */
    public String describe() {
        GuestDnsServer current = server;
        return current == null ? "off" : String.valueOf(current.address());
    }

    /** Resolvers guests should use. */
    public List<String> resolvers() {
        return resolvers;
    }

    public String domain() {
        return domain;
    }

    /** Makes {@code <vm>.<domain>} answer with {@code ip}. */
    @Override
    public void publish(String vm, String ip) {
        try {
            names.put(vm, (Inet4Address) InetAddress.getByName(ip));
        } catch (UnknownHostException | ClassCastException e) {
            throw VmException.failed("VM '" + vm + "' has an unusable address " + ip);
        }
    }

    @Override
    public void unpublish(String vm) {
        names.remove(vm);
    }

    /** Stops the server and takes the host's route to it back. */
    @Override
    public void close() {
        if (hostRouted) {
            try {
                hostResolver.remove(bridge);
                hostRouted = false;
            } catch (RuntimeException e) {
                LOG.warn("host names: systemd-resolved kept *.{} on {}: {}", domain, bridge, e.getMessage());
            }
        }
        GuestDnsServer current = server;
        if (current != null) {
            current.close();
        }
    }
}
