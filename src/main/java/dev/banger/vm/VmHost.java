package dev.banger.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.banger.capability.Capability;
import dev.banger.capability.DnsCapability;
import dev.banger.capability.GuestNames;
import dev.banger.capability.NatCapability;
import dev.banger.capability.NatControl;
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
import dev.banger.store.SettingsRepository;
import dev.banger.store.StoredJson;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.BackendChoice;
import dev.banger.vmm.BackendChooser;
import dev.banger.vmm.Vmm;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host side every VM shares: the bridge and its NAT rules (installed while any VM exists),
 * the warm TAP pool, the guest DNS server with its name table, the disk cloner and what this
 * host's disks can do, and the VMM backends. {@link #start} sets the network up idempotently (a
 * daemon restart adopts what is there); {@link #close} stops the pool and the DNS server but
 * leaves bridge, TAPs and NAT in place, because VMs outlive the daemon. Thread-safe.
 */
public final class VmHost implements GuestNames, NatControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VmHost.class);
    /** What a fixed backend is said to run with: the test doubles do not emulate anything. */
    private static final Acceleration FIXED = Acceleration.kvm("the backend was fixed by the caller");
    static final String NAT_SETTING = "network.nat";
    /** The longest a guest waits for the host side of creates begun alongside it, or a TAP refill for creates ({@link GuestStartGate}). */
    static final Duration GUEST_START_HOLD = Duration.ofSeconds(2);

    private final HostCommands host;
    private final NetworkConfig config;
    private final HostNetwork network;
    private final TapPool taps;
    private final Map<String, Vmm> backends;
    private final BackendChooser newVms;
    private final DiskCloner disks;
    private final Ext4Tool ext4;
    private final HostDiskFacts diskFacts;
    private final WarmMachines warm;
    private final Map<String, Inet4Address> names = new ConcurrentHashMap<>();
    private volatile GuestDnsServer dns;
    private volatile List<String> resolvers = List.of();
    private volatile SettingsRepository settings;
    private boolean natInstalled;
    /** Which creates are on their host side: their guests start together, and TAP refills wait for them. */
    private final GuestStartGate guestStart = new GuestStartGate(GUEST_START_HOLD);
    /** The latest background install {@link #startNat} began; guarded by {@code natLock}, not {@code this}, which the install holds. */
    private CompletableFuture<Void> natInstall = CompletableFuture.completedFuture(null);
    private final Object natLock = new Object();

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
        this.host = host;
        this.config = config;
        this.network = new HostNetwork(host, config);
        this.taps = new TapPool(network, config.tapPoolSize(), guestStart::awaitQuiet);
        this.backends = Map.copyOf(backends);
        this.newVms = newVms;
        this.disks = new DiskCloner(host);
        this.ext4 = new Ext4Tool(host);
        this.diskFacts = diskFacts;
        this.warm = new WarmMachines(this, warmDir, warmDir == null ? 0 : warmMachines);
    }

    /**
     * Brings the bridge up, installs NAT (recording its handles in {@code settings}), starts the
     * DNS server on the gateway address and the TAP pool, leaving the TAPs of running VMs alone.
     * A DNS server that cannot bind is logged and guests then use the host's resolvers.
     */
    public void start(SettingsRepository settings, Collection<String> tapsInUse) {
        this.settings = settings;
        network.ensureBridge();
        if (!tapsInUse.isEmpty()) {
            ensureNat();
        }
        startDns();
        warm.removeLeftovers();
        taps.start(tapsInUse);
        warm.start();
        LOG.info("host network ready: bridge {} ({}), NAT {}, DNS {}, {} warm TAP(s), {} warm machine(s)", config.bridge(),
                config.subnet(), config.nat().name().toLowerCase(Locale.ROOT), dns == null ? "off" : dns.address(),
                config.tapPoolSize(), warm.size());
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

    /**
     * Installs the masquerade rules for the guest subnet unless they are (config {@code nat = "off"}
     * installs nothing), recording their handles; the first VM to need them pays for it once.
     */
    public synchronized void ensureNat() {
        if (natReady()) {
            return;
        }
        // Recorded before the rules exist: a daemon killed while nft runs (nft itself finishes)
        // leaves its next start the handles to remove them by.
        recordNat(network.plannedNat());
        try {
            network.installNat();
        } catch (RuntimeException e) {
            settings.remove(NAT_SETTING);
            throw e;
        }
        natInstalled = true;
    }

    private void recordNat(NatHandles handles) {
        try {
            settings.put(NAT_SETTING, StoredJson.mapper().writeValueAsString(handles));
        } catch (JsonProcessingException e) {
            throw VmException.failed("cannot record the NAT handles: " + e.getOriginalMessage());
        }
    }

    /** {@link #ensureNat} on a virtual thread, unless the rules are there or an install is under way. */
    @Override
    public void startNat() {
        synchronized (natLock) {
            if (natInstall.isDone() && !natReady()) {
                natInstall = CompletableFuture.runAsync(this::ensureNat, task -> Thread.ofVirtual().name("nat-install").start(task));
            }
        }
    }

    private synchronized boolean natReady() {
        return natInstalled || config.nat() == NatMode.OFF;
    }

    @Override
    public void awaitNat() {
        CompletableFuture<Void> install;
        synchronized (natLock) {
            install = natInstall;
        }
        try {
            install.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    /**
     * Removes the NAT rules once no VM is left, by the handles recorded when they were installed;
     * with no recorded handles (lost, or never installed) nothing is touched. An install still
     * under way ends first, so it cannot put the rules back after they were removed.
     */
    void removeNatIfUnused(boolean vmsLeft) {
        try {
            awaitNat();
        } catch (RuntimeException failedInstall) {
            // Its failure was reported to the create that began it; what it left is removed below.
        }
        removeNatNow(vmsLeft);
    }

    private synchronized void removeNatNow(boolean vmsLeft) {
        if (vmsLeft || settings == null) {
            return;
        }
        Optional<String> recorded = settings.get(NAT_SETTING);
        if (recorded.isEmpty()) {
            LOG.info("no NAT handles recorded; leaving the firewall alone");
            natInstalled = false;
            return;
        }
        try {
            NatHandles handles = StoredJson.mapper().readValue(recorded.get(), NatHandles.class);
            LOG.info("last VM gone; NAT rules removed: {}", network.removeNat(handles));
        } catch (JsonProcessingException e) {
            LOG.warn("the recorded NAT handles cannot be read ({}); leaving the firewall alone", e.getOriginalMessage());
        }
        settings.remove(NAT_SETTING);
        natInstalled = false;
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
                new NatCapability(this, gateway()));
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

    /**
     * A TAP for one VM: a warm one from the pool, or, with {@code dedicated} non-null, a new TAP of
     * that name made for this VM alone (the benchmark's slow path).
     */
    String acquireTap(String dedicated) {
        if (dedicated == null) {
            return taps.acquire();
        }
        network.createTap(dedicated);
        return dedicated;
    }

    /** Gives a VM's TAP back: a pool TAP goes back to the pool (deleted if it will not take it), any other is deleted. */
    void releaseTap(String vm, String tap) {
        if (!tap.startsWith(TapPool.PREFIX)) {
            network.deleteTap(tap);
            return;
        }
        try {
            taps.release(tap);
        } catch (RuntimeException e) {
            LOG.warn("VM {}: TAP {} not returned to the pool ({}); deleting it", vm, tap, e.getMessage());
            network.deleteTap(tap);
        }
    }

    /**
     * The backend and acceleration of a VM created now; may wait for KVM's bounded test boot when
     * no verdict is recorded yet.
     *
     * @throws dev.banger.vmm.VmmException ({@code precondition-failed}) when no backend can run new VMs, saying why
     */
    public BackendChoice chooseBackend() {
        return newVms.choose();
    }

    /** The backend new VMs get, when it is known without a test boot (the warm pool must not start one). */
    Optional<Vmm> newVmBackend() {
        return newVms.known().map(choice -> backends.get(choice.backend()));
    }

    WarmMachines warm() {
        return warm;
    }

    /** The backend a VM was created with. */
    Vmm vmm(String backend) {
        Vmm vmm = backends.get(backend);
        if (vmm == null) {
            throw VmException.precondition("this daemon has no '" + backend + "' backend; configure it (vmm = \"" + backend
                    + "\" needs its binary) to manage VMs created with it");
        }
        return vmm;
    }

    GuestStartGate guestStart() {
        return guestStart;
    }

    DiskCloner disks() {
        return disks;
    }

    Ext4Tool ext4() {
        return ext4;
    }

    /** What this host's disks can do, for a machine run by {@code vmm} (QEMU opens qcow2 overlays, Firecracker only raw files). */
    HostDiskFacts diskFacts(Vmm vmm) {
        return diskFacts.withQcow2Backend(vmm.opensQcow2());
    }

    HostCommands commands() {
        return host;
    }

    @Override
    public void close() {
        warm.close();
        taps.close();
        GuestDnsServer server = dns;
        if (server != null) {
            server.close();
        }
    }
}
