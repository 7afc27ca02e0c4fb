package dev.banger.vm;

import dev.banger.capability.ShareCapability;
import dev.banger.config.VmDefaults;
import dev.banger.host.JoinedProcesses;
import dev.banger.image.ImageCatalog;
import dev.banger.image.ImageManifest;
import dev.banger.model.Image;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.Share;
import dev.banger.model.StageRunner;
import dev.banger.model.Vm;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.store.ImageRepository;
import dev.banger.store.SettingsRepository;
import dev.banger.store.VmRepository;
import dev.banger.vm.boot.BootDeadlines;
import dev.banger.vm.boot.BootSequence;
import dev.banger.vm.boot.BootWaiter;
import dev.banger.vm.boot.IdentityParts;
import dev.banger.vm.boot.Machines;
import dev.banger.vm.create.CreatePipeline;
import dev.banger.vm.create.CreatePlan;
import dev.banger.vm.create.CreatePlanner;
import dev.banger.vm.host.HostKeys;
import dev.banger.vm.host.ShareSessions;
import dev.banger.vm.snapshot.GoldenSnapshots;
import dev.banger.vm.state.VmDirs;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRules;
import dev.banger.vm.warm.GoldenMaker;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.BackendChoice;
import dev.banger.vmm.Vmm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM requests, at the boundary: each is checked once here ({@link VmRules}), then handed to
 * the part that owns it — {@link CreatePlanner} and {@link CreatePipeline} for creates,
 * {@link VmPower} for start/stop/restart, {@link VmRemoval} for deletes, {@link HostStartup} for
 * bringing the host up. This class builds those parts and holds no policy of its own. One
 * operation per VM at a time ({@link VmLocks}); different VMs run concurrently. Thread-safe.
 */
public final class VmService {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");

    private final VmHost host;
    private final VmDefaults defaults;
    private final VmLocks locks = new VmLocks();
    private final Random random = new Random();
    private final VmLifecycle lifecycle;
    private final ImagePolicy images;
    private final CreatePipeline pipeline;
    private final VmPower power;
    private final VmRemoval removal;
    private final VmReconciler reconciler;
    private final HostStartup startup;
    private final VmViews views;
    private final BootSequence boot;
    private final VmSnapshots snapshots;
    private final PortForwards ports;
    private final VmShares shares;

    /**
     * @param defaultImage the configured default image name; an image promoted with {@code image promote} wins over it
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
    VmService(VmRepository vms, ImageRepository imageRows, ImageCatalog catalog, VmHost host, Path stateDir,
            VmDefaults defaults, Supplier<String> defaultImage, int agentPort, int sshPort, Ipv4Subnet subnet,
            Function<Acceleration, BootDeadlines> deadlines, SettingsRepository settings) {
        this.host = host;
        this.defaults = defaults;
        this.lifecycle = new VmLifecycle(vms, subnet, new VmDirs(stateDir));
        this.images = new ImagePolicy(imageRows, defaultImage);
        HostKeys keys = new HostKeys();
        this.shares = new VmShares(vms.shares(), new ShareSessions(host.commands(), JoinedProcesses::start), lifecycle, locks, stateDir);
        host.beforeClose(shares::close);
        Machines machines = new Machines(Stream.concat(host.capabilities().stream(), Stream.of(new ShareCapability(shares::of)))
                .toList(), host.prefixLength(), agentPort, keys);
        GoldenSnapshots goldens = new GoldenSnapshots(host.commands());
        this.boot = new BootSequence(machines, deadlines, agentPort, sshPort, new IdentityParts(host.taps(), keys, goldens), shares);
        this.pipeline = new CreatePipeline(lifecycle, host.backends(), host.guestStart(), host.warm(), host.taps(), host.disks(),
                host.nat(), catalog, boot, goldens);
        GoldenMaker maker = new GoldenMaker(host.disks(), host.taps(), keys, goldens, boot, host.warmDir());
        host.beforeClose(maker::stopAll);
        this.snapshots = new VmSnapshots(goldens, maker, host.backends(), lifecycle, host.warm(), deadlines);
        this.power = new VmPower(lifecycle, images, host.backends(), host.taps(), host.disks(), boot, host.ports(), shares);
        this.removal = new VmRemoval(lifecycle, locks, host.backends(), host.taps(), host.disks(), host.nat(), machines, shares);
        this.ports = new PortForwards(lifecycle, locks, host.ports(), vms.ports(), this::ensureHostStarted);
        this.reconciler = new VmReconciler(lifecycle, host.backends(), host.taps(), host.dns(), host.nat(), removal,
                liveTaps -> host.start(settings, liveTaps), ports::reconcile, shares);
        this.startup = new HostStartup(reconciler, images, host.warm(), defaults);
        this.views = new VmViews(lifecycle, host.dns().domain(), ports::of, shares::of);
    }

    /** Reconciles the store with the host and brings the host network up, once ({@link HostStartup}); a failure is kept. */
    public void ensureHostStarted() {
        startup.ensureStarted();
    }

    /** What {@link #prepareHost} left ready. */
    public record HostReady(String bridge, int warmTaps, int warmMachines) {}

    /**
     * Sets the host network up now rather than at the first create, points the warm pool at the
     * creates to come (image and sizes as {@code vm.create.begin} takes them; null for the
     * defaults; machines restored from the shape's golden snapshot when there is one, unless
     * {@code cold}) and waits (bounded) until the warm machines and the TAP pool are full:
     * {@code banger bench create} measures creates against a warm host this way.
     */
    public HostReady prepareHost(Duration deadline, String image, Integer vcpus, Integer memoryMib, Integer diskGib, boolean cold) {
        Image chosen = image == null ? images.findDefault().orElse(null) : images.get(image);
        CreatePlanner.Request sizes = new CreateRequest(null, image, vcpus, memoryMib, diskGib).check(defaults);
        ensureHostStarted();
        if (chosen != null) {
            snapshots.warmShape(chosen, sizes, cold).ifPresent(host.warm()::want);
        }
        return new WarmPools(host.warm(), host.taps()).await(deadline, host.bridge());
    }

    /** An image was deleted or rebuilt: the warm machines made from its old files go (its snapshots went with its directory). */
    public void imageChanged(String image) {
        host.warm().retire(image);
    }

    /** The ports VMs publish ({@code vm.port.*}). */
    public PortForwards ports() {
        return ports;
    }

    /** The golden snapshots: off until enabled; made, listed and deleted for {@code banger image snapshot}. */
    public VmSnapshots snapshots() {
        return snapshots;
    }

    /** The VMs' shared host directories ({@code vm share}, {@code vm unshare}). */
    public VmShares shares() {
        return shares;
    }

    /** Checks a request to snapshot {@code image} at a size (null: {@code [vm]}'s) and brings the host up (a golden machine takes a TAP). */
    public VmSnapshots.MakeRequest snapshotRequest(String image, Integer vcpus, Integer memoryMib) {
        CreatePlanner.Request sizes = new CreateRequest(null, image, vcpus, memoryMib, null).check(defaults);
        VmSnapshots.MakeRequest request = snapshots.checkMake(images.get(image), sizes.vcpus(), sizes.memoryMib(),
                sizes.diskBytes());
        ensureHostStarted();
        return request;
    }

    /** Retires stale snapshots and removes the retired ones no VM uses (at start, and after deletes). */
    public void collectSnapshots() {
        snapshots.collect(images.all());
    }

    /** Arms the fault suite's hold points ({@code vm-delete:<vm>} holds before that VM's delete) and the soak's switch. */
    public void useFaultPoints(FaultPoints points) {
        removal.useFaultPoints(points);
        boot.skipGuestWaits(points::skipsGuestWait);
    }

    /** For shutdown: no further VM of a multi-VM delete starts, the ones begun finish (at most {@code limit}); true when all did. */
    public boolean drainDeletes(Duration limit) {
        return removal.drain(limit);
    }

    /** Checks a create once and makes every choice ({@link CreatePlanner}) before anything changes; then brings the host up. */
    public CreatePlan plan(CreateRequest request) {
        CreatePlanner.Request checked = request.check(defaults);
        List<Share> asked = shares.check(request.shares());
        String name = request.name() != null ? request.name()
                : VmNames.generate(lifecycle.list().stream().map(Vm::name).collect(Collectors.toSet()), random);
        if (lifecycle.find(name).isPresent()) {
            throw VmRules.nameTaken(name);
        }
        ports.checkNew(checked.publish());
        Image image = images.forCreate(checked.image());
        // Decided for each create, not once at start: the KVM verdict may have arrived since (doctor),
        // or be found out now by its bounded test boot. A vmm = "firecracker" this host cannot run
        // fails here, before the host network is touched.
        BackendChoice backend = host.backends().choose();
        LOG.info("VM {}: new VM gets {}", name, backend.describe());
        Vmm vmm = host.backends().vmm(backend.backend());
        CreatePlan plan = CreatePlanner.plan(name, checked, image, ImageManifest.of(image), backend,
                new CreatePlanner.HostFacts(host.disks().factsFor(vmm), vmm.adoptsPausedMachines(), ImagePolicy.hasWorkSeed(image),
                        snapshots.forCreate(image, backend, checked.vcpus(), checked.memoryMib())));
        // Only a request that passed every check may set up the host network (bad input changes nothing).
        ensureHostStarted();
        shares.expect(name, asked);
        return plan;
    }

    /** Runs a planned create to the end (the VM running and reachable), or rolls it back completely. */
    public VmInfo create(CreatePlan plan, StageRunner stages) {
        return locks.with(plan.name(), () -> {
            long start = System.nanoTime();
            VmInfo created = views.info(shares.creating(plan.name(), () -> pipeline.run(plan, stages)));
            snapshots.afterCreate(plan);
            LOG.info("VM {}: created in {} ms, running as {}", created.name(), (System.nanoTime() - start) / 1_000_000,
                    created.acceleration() == null ? created.vmm() : created.vmm() + " (" + created.acceleration() + ")");
            return created;
        });
    }

    public VmInfo start(String name) {
        return withHost(name, vm -> power.start(vm));
    }

    public VmInfo stop(String name) {
        return withHost(name, vm -> power.stop(vm));
    }

    public VmInfo restart(String name) {
        return withHost(name, vm -> power.restart(vm));
    }

    /** Refuses an unknown VM before the host is started for it (no reconcile needed), then runs {@code action} locked. */
    private VmInfo withHost(String name, Function<Vm, Vm> action) {
        lifecycle.get(name);
        ensureHostStarted();
        return locks.with(name, () -> views.info(action.apply(lifecycle.get(name))));
    }

    /** Deletes each named VM independently; one failure does not stop the others. */
    public VmDeleteResult delete(List<String> names) {
        if (names.stream().anyMatch(name -> lifecycle.find(name).isPresent())) {
            ensureHostStarted();
        }
        // Only a VM restored from a snapshot can be what kept a retired one's files.
        boolean restored = names.stream().map(lifecycle::find).flatMap(Optional::stream)
                .anyMatch(vm -> lifecycle.runtime(vm).restoredFrom() != null);
        VmDeleteResult result = removal.delete(names);
        if (restored) {
            collectSnapshots();
        }
        return result;
    }

    /** Changes sizes of a stopped VM; the disk only grows (the filesystem is grown with it). */
    public VmInfo edit(String name, Integer vcpus, Integer memoryMib, Integer diskGib) {
        if (vcpus == null && memoryMib == null && diskGib == null) {
            throw VmException.invalid("nothing to change: give --vcpus, --memory or --disk");
        }
        return locks.with(name, () -> views.info(power.edit(lifecycle.get(name), vcpus, memoryMib, diskGib)));
    }

    public VmInfo info(String name) {
        return views.info(lifecycle.get(name));
    }

    public List<VmInfo> list() {
        return lifecycle.list().stream().map(views::info).toList();
    }

    /** The read-only views of VMs ({@code vm stats}, {@code health}, {@code logs}, {@code ssh}). */
    public VmInspector inspector(Supplier<String> privateKey) {
        return new VmInspector(lifecycle, host.backends(), host.commands(), boot, privateKey);
    }

    /** Starts watching running VMs' VMMs: a sweep at once, then every {@code every}. */
    public VmmWatch startWatch(Duration every) {
        return watch(shares::detach).schedule(every);
    }

    /** An unscheduled watch that tells {@code onStopped} of each VM it marks stopped (tests sweep by hand). */
    VmmWatch watch(Consumer<String> onStopped) {
        return new VmmWatch(lifecycle, locks, host.backends(), host.taps(), host.dns(), host.ports(), startup::started, onStopped);
    }

    /** The per-VM operation locks, for tests that hold one while something else runs. */
    VmLocks locks() {
        return locks;
    }

    /** The start-up reconcile, for tests that run it against a store an earlier daemon left. */
    VmReconciler reconciler() {
        return reconciler;
    }
}
