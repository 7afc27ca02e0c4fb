package dev.banger.vm;

import dev.banger.config.VmDefaults;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.image.ImageCatalog;
import dev.banger.image.ImageManifest;
import dev.banger.image.Profile;
import dev.banger.model.ErrorKind;
import dev.banger.model.HealthReport;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.model.BangerException;
import dev.banger.model.StageRunner;
import dev.banger.model.Vm;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.store.ImageRepository;
import dev.banger.store.Ipv4Subnet;
import dev.banger.store.SettingsRepository;
import dev.banger.store.VmRepository;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.BackendChoice;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VM lifecycle: plan and run creates, start, stop, restart, delete (several at once), edit, and
 * the views ({@link #info}, {@link #list}). One operation per VM at a time ({@link VmLocks});
 * operations on different VMs run concurrently, and the store's write lock is only held around
 * its own writes. Thread-safe.
 */
public final class VmService {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final long GIB = 1L << 30;

    private final VmRepository vms;
    private final ImageRepository imageRows;
    private final VmHost host;
    private final VmDirs dirs;
    private final VmDefaults defaults;
    private final Supplier<String> defaultImage;
    private final VmLocks locks = new VmLocks();
    private final Machines machines;
    private final int agentPort;
    private final int sshPort;
    private final VmCreator creator;
    private final Function<Acceleration, BootDeadlines> deadlines;
    private final Random random = new Random();
    private final SettingsRepository settings;
    private final ShutdownGate deletes = new ShutdownGate();
    private volatile FaultPoints faults = FaultPoints.NONE;
    private volatile boolean hostStarted;
    private volatile RuntimeException hostProblem;

    /**
     * @param defaultImage the configured default image name; an image promoted with {@code image promote} wins over it
     */
    public VmService(VmRepository vms, ImageRepository imageRows, ImageCatalog images, VmHost host, Path stateDir,
            VmDefaults defaults, Supplier<String> defaultImage, int agentPort, Ipv4Subnet subnet, BootDeadlines deadlines,
            SettingsRepository settings) {
        this(vms, imageRows, images, host, stateDir, defaults, defaultImage, agentPort, BootWaiter.SSH_PORT, subnet,
                BootDeadlines.always(deadlines), settings);
    }

    /**
     * @param deadlines the boot waits for a machine by how it runs ({@link BootDeadlines#BY_ACCELERATION}):
     *                  a verdict reached after start changes them for the next machine
     */
    public VmService(VmRepository vms, ImageRepository imageRows, ImageCatalog images, VmHost host, Path stateDir,
            VmDefaults defaults, Supplier<String> defaultImage, int agentPort, Ipv4Subnet subnet,
            Function<Acceleration, BootDeadlines> deadlines, SettingsRepository settings) {
        this(vms, imageRows, images, host, stateDir, defaults, defaultImage, agentPort, BootWaiter.SSH_PORT, subnet, deadlines,
                settings);
    }

    /** As the public constructor, with the port boot waits probe for sshd (tests listen on a free one). */
    VmService(VmRepository vms, ImageRepository imageRows, ImageCatalog images, VmHost host, Path stateDir,
            VmDefaults defaults, Supplier<String> defaultImage, int agentPort, int sshPort, Ipv4Subnet subnet,
            Function<Acceleration, BootDeadlines> deadlines, SettingsRepository settings) {
        this.vms = vms;
        this.settings = settings;
        this.imageRows = imageRows;
        this.host = host;
        this.dirs = new VmDirs(stateDir);
        this.defaults = defaults;
        this.defaultImage = defaultImage;
        this.deadlines = deadlines;
        this.machines = new Machines(host, agentPort);
        this.agentPort = agentPort;
        this.sshPort = sshPort;
        this.creator = new VmCreator(vms, images, host, machines, agentPort, sshPort, dirs, subnet, deadlines);
    }

    /**
     * Reconciles the store with the host and brings the host network up, once. It runs at daemon
     * start when VMs exist, else on the first create or start, so a daemon that only builds images
     * never touches the host's network. A failure is remembered and reported to every VM request.
     */
    public synchronized void ensureHostStarted() {
        if (hostStarted) {
            return;
        }
        if (hostProblem != null) {
            throw hostProblem;
        }
        try {
            new VmReconciler(this).reconcileAndStart(settings);
            hostStarted = true;
            // The pool's first shape: what a create that names nothing gets.
            defaultImage().flatMap(image -> warmShape(image, defaults.vcpus(), defaultMemoryMib(), defaults.disk().bytes()))
                    .ifPresent(host.warm()::want);
        } catch (RuntimeException e) {
            hostProblem = VmException.precondition("the host network for VMs could not be set up: " + e.getMessage()
                    + "; fix it (see 'banger doctor') and restart bangerd");
            throw hostProblem;
        }
    }

    /** What {@link #prepareHost} left ready. */
    public record HostReady(String bridge, int warmTaps, int warmMachines) {}

    /**
     * Sets the host network up now rather than at the first create, points the warm pool at the
     * creates to come (image and sizes as {@code vm.create.begin} takes them; null for the
     * defaults) and waits (bounded) until the warm machines and the TAP pool are full:
     * {@code banger bench create} measures creates against a warm host this way.
     */
    public HostReady prepareHost(Duration deadline, String image, Integer vcpus, Integer memoryMib, Integer diskGib) {
        Image chosen = image == null ? defaultImage().orElse(null) : imageRows.get(image);
        int cpus = vcpus == null ? defaults.vcpus() : vcpus;
        int memory = memoryMib == null ? defaultMemoryMib() : memoryMib;
        long disk = diskGib == null ? defaults.disk().bytes() : diskGib * GIB;
        checkSizes(cpus, memory, disk);
        ensureHostStarted();
        if (chosen != null) {
            warmShape(chosen, cpus, memory, disk).ifPresent(host.warm()::want);
        }
        long end = System.nanoTime() + deadline.toNanos();
        try {
            if (!host.warm().awaitWarm(deadline)) {
                throw VmException.failed("the warm machines did not start within " + deadline.toSeconds() + " s; "
                        + host.warm().idleCount() + " of " + host.warm().size() + " wait (see bangerd.log)");
            }
            if (!host.taps().awaitWarm(Duration.ofNanos(Math.max(0, end - System.nanoTime())))) {
                throw VmException.failed("the TAP pool did not fill within " + deadline.toSeconds() + " s; "
                        + host.taps().idleCount() + " of " + host.taps().size() + " TAPs are warm (see bangerd.log)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VmException.failed("interrupted while waiting for the warm pools");
        }
        return new HostReady(host.network().bridge(), host.taps().idleCount(), host.warm().idleCount());
    }

    /** An image was deleted or rebuilt: the warm machines made from its old files go. */
    public void imageChanged(String image) {
        host.warm().retire(image);
    }

    /** The image creates get when they name none: the promoted one, else the configured one. */
    private Optional<Image> defaultImage() {
        return imageRows.findDefault().or(() -> imageRows.find(defaultImage.get()));
    }

    private int defaultMemoryMib() {
        return (int) (defaults.memory().bytes() >> 20);
    }

    /** The warm pool's shape for creates from {@code image}, when its guests can come from the pool at all. */
    private static Optional<WarmMachines.Shape> warmShape(Image image, int vcpus, int memoryMib, long diskBytes) {
        return manifest(image).filter(m -> m.guestConfigDrive() && m.workDiskGrowsInGuest())
                .flatMap(m -> WarmMachines.Shape.of(image, vcpus, memoryMib, diskBytes));
    }

    /**
     * Refuses an unknown VM before the host network is started for it. Rows exist only after the
     * host was started (at daemon start when VMs exist), so the lookup needs no reconcile first.
     */
    private void requireKnown(String name) {
        vms.get(name);
    }

    /** Whether the host network is up (reconcile done); before that nothing runs that a watch could see die. */
    boolean hostReady() {
        return hostStarted;
    }

    /** Arms the fault suite's hold points ({@code vm-delete:<vm>} holds before that VM's delete) and its creates' guest-wait switch. */
    public void useFaultPoints(FaultPoints points) {
        this.faults = points;
        creator.useFaultPoints(points);
    }

    /**
     * For shutdown: no further VM of a multi-VM delete starts, and the ones being deleted finish,
     * waiting at most {@code limit}, so no VM is left half-deleted. Returns whether all finished.
     */
    public boolean drainDeletes(Duration limit) {
        return deletes.closeAndAwait(limit);
    }

    public List<String> createStages() {
        return VmCreator.STAGES;
    }

    /** Checks a create request and makes every choice, before anything is started or stored. */
    public CreatePlan plan(CreateRequest request) {
        String name = request.name();
        if (name == null) {
            name = VmNames.generate(vms.list().stream().map(Vm::name).collect(Collectors.toSet()), random);
        } else if (!Vm.isValidName(name) || name.endsWith("-")) {
            throw VmException.invalid("VM name '" + name + "' is invalid: use 1 to 63 lower-case letters, digits and '-',"
                    + " starting and ending with a letter or digit (e.g. dev1)");
        }
        if (vms.find(name).isPresent()) {
            throw VmException.conflict("a VM named '" + name + "' already exists; pick another name or delete it first");
        }
        Image image = request.image() == null
                ? defaultImage().orElseThrow(() -> VmException.precondition(
                        "there is no default image '" + defaultImage.get() + "'; build it with 'banger image build'"
                                + " (a 'banger vm create' without --no-build builds it first) or promote another with"
                                + " 'banger image promote NAME'"))
                : imageRows.get(request.image());
        if (image.status() == ImageStatus.NEEDS_REBUILD) {
            throw VmException.precondition("image '" + image.name() + "' needs a rebuild (its files are missing or its"
                    + " work seed does not match its fingerprint); run 'banger image rebuild-rootfs " + image.name() + "'");
        }
        int vcpus = request.vcpus() == null ? defaults.vcpus() : request.vcpus();
        int memory = request.memoryMib() == null ? defaultMemoryMib() : request.memoryMib();
        long disk = request.diskGib() == null ? defaults.disk().bytes() : request.diskGib() * GIB;
        checkSizes(vcpus, memory, disk);
        // Decided for each create, not once at start: the KVM verdict may have arrived since (doctor),
        // or be found out now by its bounded test boot. A vmm = "firecracker" this host cannot run
        // fails here, before the host network is touched.
        BackendChoice backend = host.chooseBackend();
        LOG.info("VM {}: new VM gets {}", name, backend.describe());
        // Only a request that passed every check may set up the host network (bad input changes nothing).
        ensureHostStarted();
        // Read once: a create is on the hot path. For images banger did not build the host grows
        // /root, and no warm machine can become their VMs.
        Optional<ImageManifest> manifest = manifest(image);
        return new CreatePlan(name, image, vcpus, memory, disk, backend.backend(), backend.acceleration(), declaredServices(manifest),
                manifest.map(ImageManifest::workDiskGrowsInGuest).orElse(false),
                manifest.map(ImageManifest::guestConfigDrive).orElse(false), request.slowPath());
    }

    static void checkSizes(int vcpus, int memoryMib, long diskBytes) {
        if (vcpus < 1 || vcpus > 32) {
            throw VmException.invalid("vcpus must be 1 to 32, got " + vcpus);
        }
        if (memoryMib < 128 || memoryMib > 1024 * 1024) {
            throw VmException.invalid("memory must be 128 to 1048576 MiB, got " + memoryMib);
        }
        if (diskBytes < GIB || diskBytes > (64L << 40)) {
            throw VmException.invalid("disk must be 1 to 65536 GiB, got " + (diskBytes / (double) GIB) + " GiB");
        }
    }

    /** Services the image promises (the dev profile serves opencode); registered images promise none. */
    static List<String> declaredServices(Optional<ImageManifest> manifest) {
        return manifest.filter(m -> m.profile() == Profile.DEV).map(m -> List.of("opencode")).orElse(List.of());
    }

    private static Optional<ImageManifest> manifest(Image image) {
        try {
            return Optional.of(ImageManifest.fromJson(image.manifestJson(), "manifest"));
        } catch (BangerException notBuiltByBanger) {
            return Optional.empty();
        }
    }

    /** Runs a planned create to the end (the VM running and reachable), or rolls it back completely. */
    public VmInfo create(CreatePlan plan, StageRunner stages) {
        return locks.with(plan.name(), () -> {
            long start = System.nanoTime();
            Vm vm;
            try {
                vm = creator.create(plan, stages);
            } catch (RuntimeException e) {
                // Rolled back: the NAT rules this create may have installed go with the last VM.
                host.removeNatIfUnused(!vms.list().isEmpty());
                throw e;
            }
            VmInfo created = info(vm);
            LOG.info("VM {}: created in {} ms, running as {}", vm.name(), (System.nanoTime() - start) / 1_000_000,
                    created.acceleration() == null ? created.vmm() : created.vmm() + " (" + created.acceleration() + ")");
            return created;
        });
    }

    public VmInfo start(String name) {
        requireKnown(name);
        ensureHostStarted();
        return locks.with(name, () -> info(startLocked(vms.get(name))));
    }

    public VmInfo stop(String name) {
        requireKnown(name);
        ensureHostStarted();
        return locks.with(name, () -> info(stopLocked(vms.get(name))));
    }

    public VmInfo restart(String name) {
        requireKnown(name);
        ensureHostStarted();
        return locks.with(name, () -> {
            Vm vm = vms.get(name);
            if (vm.state() == VmState.RUNNING) {
                vm = stopLocked(vm);
            }
            return info(startLocked(vm));
        });
    }

    private Vm startLocked(Vm vm) {
        Vmm vmm = host.vmm(vm.vmm());
        if (vm.state() == VmState.RUNNING && runtime(vm).instance() != null && vmm.isAlive(runtime(vm).instance())) {
            return vm;
        }
        if (vm.state() != VmState.STOPPED && vm.state() != VmState.FAILED && vm.state() != VmState.RUNNING) {
            throw VmException.conflict("VM '" + vm.name() + "' is " + vm.state().wireName() + " and cannot be started");
        }
        VmRuntime runtime = runtime(vm).stopped();
        if (runtime.workDisk() != null && MachineSpec.DiskFormat.ofFile(runtime.workDisk()) == MachineSpec.DiskFormat.RAW
                && host.ext4().repairNestedLayout(runtime.workDisk())) {
            LOG.warn("VM {}: repaired a nested /root layout on its work disk before boot", vm.name());
        }
        Image image = imageRows.get(vm.image());
        String tap = host.taps().acquire();
        VmmInstance instance = null;
        try {
            runtime = runtime.withTap(tap);
            machines.prepare(machines.context(vm, runtime));
            instance = vmm.start(machines.spec(vm, image, runtime));
            runtime = runtime.withInstance(instance);
            vms.recordLifecycle(vm.name(), VmState.RUNNING, instance.pid(), runtime.toJson());
            machines.awaitReady(machines.context(vm, runtime));
            BootDeadlines deadlines = this.deadlines.apply(instance.acceleration());
            LOG.info("VM {}: starting as {}", vm.name(), instance.acceleration() == null ? vmm.name()
                    : instance.acceleration().describe(vmm.name()));
            BootWaiter boot = new BootWaiter(vmm, agentPort, sshPort);
            boot.awaitAgent(vm.name(), instance, deadlines.agent());
            HealthReport withSsh = boot.awaitSsh(vm.name(), instance, vm.network().ip(), deadlines.sshd());
            List<String> services = declaredServices(manifest(image));
            if (!services.isEmpty()) {
                boot.awaitServices(vm.name(), instance, services, deadlines.services());
            }
            Vm running = vms.recordLifecycle(vm.name(), VmState.RUNNING, instance.pid(), runtime.withHostKeys(withSsh.hostKeys()).toJson());
            LOG.info("VM {}: started", vm.name());
            return running;
        } catch (RuntimeException e) {
            if (instance != null) {
                vmm.stop(instance, Duration.ofSeconds(5));
            }
            host.releaseTap(vm.name(), tap);
            vms.recordLifecycle(vm.name(), VmState.STOPPED, null, runtime.stopped().toJson());
            throw e;
        }
    }

    private Vm stopLocked(Vm vm) {
        VmRuntime runtime = runtime(vm);
        if (runtime.instance() != null) {
            host.vmm(vm.vmm()).stop(runtime.instance(), STOP_GRACE);
        }
        releaseTap(vm.name(), runtime.tap());
        LOG.info("VM {}: stopped", vm.name());
        return vms.recordLifecycle(vm.name(), VmState.STOPPED, null, runtime.stopped().toJson());
    }

    /** Deletes each named VM independently; one failure does not stop the others. */
    public VmDeleteResult delete(List<String> names) {
        if (names.stream().anyMatch(name -> vms.find(name).isPresent())) {
            ensureHostStarted();
        }
        List<VmDeleteResult.Outcome> outcomes = new ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(names)) {
            if (!deletes.enter()) {
                outcomes.add(new VmDeleteResult.Outcome(name, false, "not deleted: bangerd is shutting down; run 'banger vm delete "
                        + name + "' again once it is back", ErrorKind.PRECONDITION_FAILED.wireName()));
                continue;
            }
            try {
                faults.reach("vm-delete", name);
                locks.with(name, () -> {
                    deleteLocked(vms.get(name));
                    return null;
                });
                outcomes.add(new VmDeleteResult.Outcome(name, true, null, null));
            } catch (BangerException e) {
                outcomes.add(new VmDeleteResult.Outcome(name, false, e.getMessage(), e.kind().wireName()));
            } catch (RuntimeException e) {
                outcomes.add(new VmDeleteResult.Outcome(name, false, e.toString(), ErrorKind.INTERNAL.wireName()));
            } finally {
                deletes.exit();
            }
        }
        host.removeNatIfUnused(!vms.list().isEmpty());
        return new VmDeleteResult(outcomes);
    }

    /** Tears a VM down from whatever state it is in; steps whose state is already gone are skipped. */
    void deleteLocked(Vm vm) {
        VmRuntime runtime = runtime(vm);
        vms.recordLifecycle(vm.name(), VmState.DELETING, vm.pid(), null);
        if (runtime.instance() != null) {
            // Under the soak's test-only switch (FaultPoints) a guest never waited for is given no time to shut down either.
            host.vmm(vm.vmm()).stop(runtime.instance(), faults.skipsGuestWait(vm.name()) ? Duration.ZERO : Duration.ofSeconds(10));
        }
        releaseTap(vm.name(), runtime.tap());
        machines.teardown(machines.context(vm, runtime));
        ClonedDisk root = runtime.rootDisk();
        if (root != null) {
            host.disks().remove(root);
        }
        VmCreator.deleteTree(runtime.vmDir());
        vms.delete(vm.name());
        LOG.info("VM {}: deleted", vm.name());
    }

    /** Changes sizes of a stopped VM; the disk only grows (the filesystem is grown with it). */
    public VmInfo edit(String name, Integer vcpus, Integer memoryMib, Integer diskGib) {
        if (vcpus == null && memoryMib == null && diskGib == null) {
            throw VmException.invalid("nothing to change: give --vcpus, --memory or --disk");
        }
        return locks.with(name, () -> {
            Vm vm = vms.get(name);
            if (vm.state() != VmState.STOPPED && vm.state() != VmState.FAILED) {
                throw VmException.conflict("VM '" + name + "' is " + vm.state().wireName() + "; stop it first with 'banger vm stop "
                        + name + "'");
            }
            int newVcpus = vcpus == null ? vm.vcpus() : vcpus;
            int newMemory = memoryMib == null ? vm.memoryMib() : memoryMib;
            long newDisk = diskGib == null ? vm.diskBytes() : diskGib * GIB;
            checkSizes(newVcpus, newMemory, newDisk);
            if (newDisk < vm.diskBytes()) {
                throw VmException.invalid("the disk only grows: VM '" + name + "' has " + vm.diskBytes() / GIB
                        + " GiB, asked for " + diskGib + " GiB");
            }
            if (newDisk > vm.diskBytes()) {
                growWorkDisk(runtime(vm).workDisk(), newDisk);
            }
            return info(vms.resize(name, newVcpus, newMemory, newDisk));
        });
    }

    /**
     * A raw work disk is grown with its file system on the host; a qcow2 one (only made for images
     * whose guest grows {@code /root} at boot) only gets the larger virtual size.
     */
    private void growWorkDisk(Path disk, long bytes) {
        if (MachineSpec.DiskFormat.ofFile(disk) == MachineSpec.DiskFormat.QCOW2) {
            host.disks().growOverlay(disk, bytes);
        } else {
            host.ext4().grow(disk, bytes);
        }
    }

    public VmInfo info(String name) {
        return info(vms.get(name));
    }

    public List<VmInfo> list() {
        return vms.list().stream().map(this::info).toList();
    }

    /** The running VM's VMM instance, or a precondition error saying how to start it. */
    VmmInstance running(Vm vm) {
        VmmInstance instance = runtime(vm).instance();
        if (vm.state() != VmState.RUNNING || instance == null) {
            throw VmException.precondition("VM '" + vm.name() + "' is " + vm.state().wireName() + "; start it with 'banger vm start "
                    + vm.name() + "'");
        }
        return instance;
    }

    VmInfo info(Vm vm) {
        VmRuntime runtime = runtime(vm);
        return new VmInfo(vm.name(), vm.image(), vm.state(), vm.vcpus(), vm.memoryMib(), vm.diskBytes(), vm.network().ip(),
                vm.network().mac(), vm.network().vsockCid(), vm.name() + "." + host.domain(), vm.vmm(),
                runtime.instance() == null || runtime.instance().acceleration() == null ? null
                        : runtime.instance().acceleration().summary(),
                vm.pid(), runtime.tap(),
                runtime.rootDisk() == null ? null : runtime.rootDisk().strategy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                runtime.vmDir().toString(), vm.createdAt(), vm.updatedAt());
    }

    VmRuntime runtime(Vm vm) {
        return vms.runtime(vm.name()).map(json -> VmRuntime.fromJson(json, vm.name())).orElseGet(() -> VmRuntime.empty(dirs.of(vm.name())));
    }

    /** The boot and health waits for a VM, over its own backend's agent channel. */
    BootWaiter boot(Vm vm) {
        return new BootWaiter(host.vmm(vm.vmm()), agentPort, sshPort);
    }

    VmRepository vms() {
        return vms;
    }

    VmHost host() {
        return host;
    }

    VmDirs dirs() {
        return dirs;
    }

    VmLocks locks() {
        return locks;
    }

    void releaseTap(String vm, String tap) {
        if (tap != null) {
            host.releaseTap(vm, tap);
        }
    }

}
