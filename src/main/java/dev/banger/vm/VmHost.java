package dev.banger.vm;

import dev.banger.capability.Capability;
import dev.banger.capability.DnsCapability;
import dev.banger.capability.NatCapability;
import dev.banger.capability.NetworkCapability;
import dev.banger.capability.PortForwardCapability;
import dev.banger.capability.WorkDiskCapability;
import dev.banger.config.NetworkConfig;
import dev.banger.host.HostCommands;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.host.net.HostNetwork;
import dev.banger.host.net.PortForwarding;
import dev.banger.host.net.PortProbe;
import dev.banger.host.net.ResolvedLinkDns;
import dev.banger.store.SettingsRepository;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.GuestDns;
import dev.banger.vm.host.GuestStartGate;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.host.NatController;
import dev.banger.vm.host.PortForwarder;
import dev.banger.vm.host.VmDisks;
import dev.banger.vm.warm.WarmMachines;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.BackendChooser;
import dev.banger.vmm.Vmm;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side every VM shares, as one owner per concern: {@link Backends}, {@link VmDisks},
 * {@link HostTaps}, {@link NatController}, {@link PortForwarder}, {@link GuestDns}, {@link WarmMachines} and the
 * {@link GuestStartGate}. This class only builds them, starts them in order ({@link #start}: a
 * daemon restart adopts what is there) and closes them; {@link #close} leaves bridge, TAPs and NAT
 * in place, because VMs outlive the daemon. Thread-safe.
 */
public final class VmHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VmHost.class);
    /** What a fixed backend is said to run with: the test doubles do not emulate anything. */
    private static final Acceleration FIXED = Acceleration.kvm("the backend was fixed by the caller");
    static final String NAT_SETTING = NatController.NAT_SETTING;

    private final NetworkConfig config;
    private final HostCommands commands;
    private final HostNetwork network;
    private final GuestStartGate guestStart = new GuestStartGate(GuestStartGate.HOLD);
    private final Backends backends;
    private final VmDisks disks;
    private final HostTaps taps;
    private final NatController nat;
    private final PortForwarder ports;
    private final GuestDns dns;
    private final WarmMachines warm;
    private final Path warmDir;
    private final List<Runnable> beforeClose = new CopyOnWriteArrayList<>();

    /**
     * @param backends     every VMM backend this daemon can drive, by {@link Vmm#name()} (existing VMs keep theirs)
     * @param newVmBackend the backend new VMs get, or null when none can be chosen
     * @param noBackendWhy why none can be chosen (said to whoever tries to create a VM), or null
     */
    public VmHost(HostCommands host, NetworkConfig config, Map<String, Vmm> backends, String newVmBackend, String noBackendWhy,
            HostDiskFacts diskFacts) {
        this(host, config, backends, newVmBackend, noBackendWhy, diskFacts, null, 0);
    }

    /**
     * A host whose new VMs always get {@code newVmBackend} (tests).
     *
     * @param warmDir      where warm machines wait ({@link WarmMachines})
     * @param warmMachines how many wait at most ({@code [vm] warm_machines}); 0 for none
     */
    public VmHost(HostCommands host, NetworkConfig config, Map<String, Vmm> backends, String newVmBackend, String noBackendWhy,
            HostDiskFacts diskFacts, Path warmDir, int warmMachines) {
        this(host, config, backends, BackendChooser.fixed(newVmBackend, noBackendWhy, FIXED), diskFacts, warmDir, warmMachines);
        if (newVmBackend != null && !backends.containsKey(newVmBackend)) {
            throw new IllegalArgumentException("no " + newVmBackend + " backend among " + backends.keySet());
        }
    }

    /**
     * @param newVms       chooses the backend (and acceleration) of each new VM when it is created;
     *                     must only name backends in {@code backends}
     * @param warmDir      where warm machines wait ({@link WarmMachines})
     * @param warmMachines how many wait at most ({@code [vm] warm_machines}); 0 for none
     */
    public VmHost(HostCommands host, NetworkConfig config, Map<String, Vmm> backends, BackendChooser newVms,
            HostDiskFacts diskFacts, Path warmDir, int warmMachines) {
        this.config = config;
        this.commands = host;
        this.network = new HostNetwork(host, config);
        this.backends = new Backends(backends, newVms);
        this.disks = new VmDisks(host, diskFacts);
        this.taps = new HostTaps(network, config.tapPoolSize(), guestStart::awaitQuiet);
        this.nat = new NatController(network, config.nat());
        this.ports = new PortForwarder(new PortForwarding(host, config), PortProbe.BIND);
        this.dns = new GuestDns(config.subnet().gateway(), config.domain(), config.bridge(), new ResolvedLinkDns(host));
        this.warm = new WarmMachines(this.backends, disks, taps, guestStart, warmDir, warmDir == null ? 0 : warmMachines);
        this.warmDir = warmDir;
    }

    /**
     * Brings the bridge up, installs NAT when VMs run (recording its handles in {@code settings}),
     * starts the DNS server on the gateway address, the TAP pool (leaving the TAPs of running VMs
     * alone) and the warm machines.
     */
    void start(SettingsRepository settings, Collection<String> tapsInUse) {
        nat.useSettings(settings);
        network.ensureBridge();
        if (!tapsInUse.isEmpty()) {
            nat.ensureInstalled();
        }
        dns.start();
        warm.removeLeftovers();
        taps.start(tapsInUse);
        warm.start();
        LOG.info("host network ready: bridge {} ({}), NAT {}, DNS {}, {} warm TAP(s), {} warm machine(s)", config.bridge(),
                config.subnet(), config.nat().name().toLowerCase(Locale.ROOT), dns.describe(), config.tapPoolSize(), warm.size());
    }

    /** What every VM gets, in the order they contribute: address, work disk, DNS, NAT, published ports. */
    List<Capability> capabilities() {
        return List.of(new NetworkCapability(), new WorkDiskCapability(), new DnsCapability(dns, dns::resolvers, dns.domain()),
                new NatCapability(nat, config.subnet().gateway()), new PortForwardCapability(ports));
    }

    int prefixLength() {
        return config.subnet().prefixLength();
    }

    String bridge() {
        return network.bridge();
    }

    /** Runs {@code action} first when the host closes (machines being made ahead of creates are stopped). */
    void beforeClose(Runnable action) {
        beforeClose.add(action);
    }

    /** Where machines made ahead of creates wait (warm machines, golden machines being made); null in tests without one. */
    Path warmDir() {
        return warmDir;
    }

    Backends backends() {
        return backends;
    }

    VmDisks disks() {
        return disks;
    }

    HostTaps taps() {
        return taps;
    }

    NatController nat() {
        return nat;
    }

    PortForwarder ports() {
        return ports;
    }

    GuestDns dns() {
        return dns;
    }

    WarmMachines warm() {
        return warm;
    }

    GuestStartGate guestStart() {
        return guestStart;
    }

    HostCommands commands() {
        return commands;
    }

    @Override
    public void close() {
        beforeClose.forEach(Runnable::run);
        warm.close();
        taps.close();
        dns.close();
    }
}
