package dev.banger.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.capability.Capability;
import dev.banger.capability.DnsCapability;
import dev.banger.capability.GuestNames;
import dev.banger.capability.NatCapability;
import dev.banger.capability.NetworkCapability;
import dev.banger.capability.WorkDiskCapability;
import dev.banger.config.NatMode;
import dev.banger.config.NetworkConfig;
import dev.banger.dns.GuestDnsServer;
import dev.banger.dns.GuestDnsSettings;
import dev.banger.dns.ResolvConf;
import dev.banger.host.HostCommands;
import dev.banger.host.disk.DiskCloner;
import dev.banger.host.disk.Ext4Tool;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.host.net.HostNetwork;
import dev.banger.host.net.NatHandles;
import dev.banger.host.net.TapPool;
import dev.banger.rpc.Json;
import dev.banger.store.SettingsRepository;
import dev.banger.vmm.Vmm;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side every VM shares: the bridge and its NAT rules, the warm TAP pool, the guest DNS
 * server with its name table, the disk cloner and what this host's disks can do, and the VMM
 * backend. {@link #start} sets the network up idempotently (a daemon restart adopts what is
 * there); {@link #close} stops the pool and the DNS server but leaves bridge, TAPs and NAT in
 * place, because VMs outlive the daemon. Thread-safe.
 */
public final class VmHost implements GuestNames, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VmHost.class);
    static final String NAT_SETTING = "network.nat";

    private final HostCommands host;
    private final NetworkConfig config;
    private final HostNetwork network;
    private final TapPool taps;
    private final Vmm vmm;
    private final DiskCloner disks;
    private final Ext4Tool ext4;
    private final HostDiskFacts diskFacts;
    private final Map<String, Inet4Address> names = new ConcurrentHashMap<>();
    private volatile GuestDnsServer dns;
    private volatile List<String> resolvers = List.of();

    public VmHost(HostCommands host, NetworkConfig config, Vmm vmm, HostDiskFacts diskFacts) {
        this.host = host;
        this.config = config;
        this.network = new HostNetwork(host, config);
        this.taps = new TapPool(network, config.tapPoolSize());
        this.vmm = vmm;
        this.disks = new DiskCloner(host);
        this.ext4 = new Ext4Tool(host);
        this.diskFacts = diskFacts;
    }

    /**
     * Brings the bridge up, installs NAT (recording its handles in {@code settings}), starts the
     * DNS server on the gateway address and the TAP pool, leaving the TAPs of running VMs alone.
     * A DNS server that cannot bind is logged and guests then use the host's resolvers.
     */
    public void start(SettingsRepository settings, Collection<String> tapsInUse) {
        network.ensureBridge();
        if (config.nat() != NatMode.OFF) {
            NatHandles handles = network.installNat();
            try {
                settings.put(NAT_SETTING, Json.mapper().writeValueAsString(handles));
            } catch (JsonProcessingException e) {
                throw VmException.failed("cannot record the NAT handles: " + e.getOriginalMessage());
            }
        }
        startDns();
        taps.start(tapsInUse);
        LOG.info("host network ready: bridge {} ({}), NAT {}, DNS {}, {} warm TAP(s)", config.bridge(), config.subnet(),
                config.nat().name().toLowerCase(Locale.ROOT), dns == null ? "off" : dns.address(), config.tapPoolSize());
    }

    private void startDns() {
        List<InetSocketAddress> upstreams = ResolvConf.read(Path.of("/etc/resolv.conf"));
        try {
            GuestDnsServer server = new GuestDnsServer(
                    GuestDnsSettings.forGateway(InetAddress.getByName(gateway()), config.domain(), upstreams),
                    name -> Optional.ofNullable(names.get(name)));
            server.start();
            dns = server;
            resolvers = List.of(gateway());
        } catch (RuntimeException | UnknownHostException e) {
            List<String> fallback = new ArrayList<>();
            upstreams.forEach(u -> fallback.add(u.getAddress().getHostAddress()));
            resolvers = List.copyOf(fallback);
            LOG.warn("guest DNS server not started on {}:53 ({}); guests use the host's resolvers {} and VM names"
                    + " do not resolve", gateway(), e.getMessage(), resolvers);
        }
    }

    /** The bridge address: the guests' gateway and DNS server. */
    public String gateway() {
        return config.subnet().gateway();
    }

    public int prefixLength() {
        return config.subnet().prefixLength();
    }

    /** Resolvers guests should use: the daemon's DNS server, or the host's when it could not start. */
    public List<String> resolvers() {
        return resolvers;
    }

    public String domain() {
        return config.domain();
    }

    /** What every VM gets, in the order they contribute: address, work disk, DNS, NAT. */
    List<Capability> capabilities() {
        return List.of(new NetworkCapability(), new WorkDiskCapability(), new DnsCapability(this, this::resolvers, domain()),
                new NatCapability(gateway()));
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

    HostNetwork network() {
        return network;
    }

    TapPool taps() {
        return taps;
    }

    Vmm vmm() {
        return vmm;
    }

    DiskCloner disks() {
        return disks;
    }

    Ext4Tool ext4() {
        return ext4;
    }

    HostDiskFacts diskFacts() {
        return diskFacts;
    }

    HostCommands commands() {
        return host;
    }

    @Override
    public void close() {
        taps.close();
        GuestDnsServer server = dns;
        if (server != null) {
            server.close();
        }
    }
}
