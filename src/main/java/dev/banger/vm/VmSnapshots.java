package dev.banger.vm;

import dev.banger.image.ImageManifest;
import dev.banger.model.BangerVersion;
import dev.banger.model.Image;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.StageRunner;
import dev.banger.vm.boot.BootDeadlines;
import dev.banger.vm.boot.Machines;
import dev.banger.vm.create.CreatePlan;
import dev.banger.vm.create.CreatePlanner;
import dev.banger.vm.create.LaunchPath;
import dev.banger.vm.host.Backends;
import dev.banger.vm.snapshot.FileDigests;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.snapshot.GoldenSnapshots;
import dev.banger.vm.snapshot.SnapshotShape;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.warm.GoldenMaker;
import dev.banger.vm.warm.WarmMachines;
import dev.banger.vm.warm.WarmShape;
import dev.banger.vmm.Acceleration;
import dev.banger.vmm.BackendChoice;
import dev.banger.vmm.Vmm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When golden snapshots are made, found and removed: a create finds the snapshot of its shape
 * ({@link #forCreate}); the first cold create of a shape has one made in the background
 * ({@link #afterCreate}) with {@code /root} at that create's disk size; {@code banger image snapshot}
 * makes one at the {@code [vm]} disk size, lists and deletes them; stale ones
 * (another agent or banger, an image whose seed changed) are retired and their files removed once
 * no VM uses them ({@link #collect}). Off until {@link #enable} (tests and {@code [vm]
 * golden_snapshots = false}). One maker per shape at a time. Thread-safe.
 */
public final class VmSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(VmSnapshots.class);

    /** A checked request to make a snapshot: the image, and the shape for the backend new VMs get. */
    public record MakeRequest(Image image, SnapshotShape shape, long diskBytes, Vmm vmm, List<String> services,
            Duration bootDeadline) {}

    private final GoldenSnapshots store;
    private final GoldenMaker maker;
    private final Backends backends;
    private final VmLifecycle lifecycle;
    private final WarmMachines warm;
    private final Function<Acceleration, BootDeadlines> deadlines;
    private final FileDigests digests = new FileDigests();
    private final Set<String> making = ConcurrentHashMap.newKeySet();
    private volatile Supplier<String> agentVersion;

    VmSnapshots(GoldenSnapshots store, GoldenMaker maker, Backends backends, VmLifecycle lifecycle, WarmMachines warm,
            Function<Acceleration, BootDeadlines> deadlines) {
        this.warm = warm;
        this.store = store;
        this.maker = maker;
        this.backends = backends;
        this.lifecycle = lifecycle;
        this.deadlines = deadlines;
    }

    /** Turns snapshots on; {@code agentVersion} names the guest agent new images get (the runtime bundle's). */
    public void enable(Supplier<String> agentVersion) {
        this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
    }

    /** The snapshot a create of this image and size on {@code vmm} would restore, if any. */
    Optional<GoldenSnapshot> forCreate(Image image, BackendChoice backend, int vcpus, int memoryMib) {
        return shape(image, backends.vmm(backend.backend()), backend.acceleration(), vcpus, memoryMib)
                .flatMap(shape -> store.find(image, shape));
    }

    /**
     * The warm machines for creates of {@code image} at {@code sizes}: restored from the snapshot
     * such a create would restore now (the backend as known without KVM's test boot), unless
     * {@code cold}; else machines that boot, when the image's guests can become VMs that way.
     */
    Optional<WarmShape> warmShape(Image image, CreatePlanner.Request sizes, boolean cold) {
        Optional<WarmShape> restoring = cold ? Optional.empty()
                : backends.known().flatMap(backend -> forCreate(image, backend, sizes.vcpus(), sizes.memoryMib()))
                        .filter(snapshot -> snapshot.meta().workBytes() <= sizes.diskBytes())
                        .map(snapshot -> WarmShape.restoring(image, snapshot));
        return restoring.or(() -> ImagePolicy.warmShape(image, sizes.vcpus(), sizes.memoryMib(), sizes.diskBytes()));
    }

    /**
     * After a create: a cold boot of a shape that has no snapshot has one made in the background,
     * so the next create of that shape restores.
     */
    void afterCreate(CreatePlan plan) {
        if (plan.launch() instanceof LaunchPath.Restore) {
            return;
        }
        Vmm vmm = backends.vmm(plan.vmm());
        shape(plan.image(), vmm, plan.acceleration(), plan.vcpus(), plan.memoryMib())
                .filter(shape -> store.find(plan.image(), shape).isEmpty())
                .filter(shape -> making.add(shape.key()))
                .ifPresent(shape -> Thread.ofVirtual().name("golden-" + shape.key()).start(() -> {
                    try {
                        maker.make(plan.image(), shape, plan.diskBytes(), vmm,
                                CreatePlanner.declaredServices(ImageManifest.of(plan.image())), bootDeadline(plan.acceleration()),
                                StageRunner.UNRECORDED);
                    } catch (RuntimeException e) {
                        LOG.warn("snapshot of {} not made: {}", shape, e.getMessage());
                    } finally {
                        making.remove(shape.key());
                    }
                }));
    }

    /** Checks that a snapshot of this image and size can be made now, for {@code image.snapshot.begin}. */
    public MakeRequest checkMake(Image image, int vcpus, int memoryMib, long diskBytes) {
        BackendChoice choice = backends.choose();
        Vmm vmm = backends.vmm(choice.backend());
        SnapshotShape shape = shape(image, vmm, choice.acceleration(), vcpus, memoryMib)
                .orElseThrow(() -> VmException.precondition(whyNot(image, vmm)));
        if (making.contains(shape.key())) {
            throw VmException.conflict("a snapshot of " + shape + " is being made already");
        }
        return new MakeRequest(image, shape, diskBytes, vmm, CreatePlanner.declaredServices(ImageManifest.of(image)),
                bootDeadline(choice.acceleration()));
    }

    /** Makes (or re-makes) the snapshot {@code request} names, as an operation's stages. */
    public ImageSnapshot make(MakeRequest request, StageRunner stages) {
        if (!making.add(request.shape().key())) {
            throw VmException.conflict("a snapshot of " + request.shape() + " is being made already");
        }
        try {
            return store.view(maker.make(request.image(), request.shape(), request.diskBytes(), request.vmm(), request.services(),
                    request.bootDeadline(), stages));
        } finally {
            making.remove(request.shape().key());
        }
    }

    /** The image's snapshots, for {@code image.show}. */
    public List<ImageSnapshot> list(Image image) {
        return store.active(image).stream().map(store::view).toList();
    }

    /**
     * Retires the image's snapshots of the given size (null: any), whichever backend made them;
     * their files go once no VM restored from them remains.
     */
    public List<ImageSnapshot> delete(Image image, Integer vcpus, Integer memoryMib) {
        List<ImageSnapshot> views = store.retire(image,
                s -> (vcpus == null || s.shape().vcpus() == vcpus) && (memoryMib == null || s.shape().memoryMib() == memoryMib))
                .stream().map(store::view).toList();
        collect(image);
        return views;
    }

    /** Retires a snapshot that would not restore. */
    public void discard(GoldenSnapshot snapshot) {
        store.retire(snapshot);
        warm.retireSnapshots(GoldenSnapshot::retired);
    }

    /**
     * Retires every image's snapshots made by another agent or banger, or of the image before its
     * work seed changed, and removes the files of retired snapshots no VM uses.
     */
    void collect(List<Image> all) {
        for (Image image : all) {
            if (agentVersion != null) {
                String agent = agentVersion.get();
                store.retire(image, s -> !s.shape().agentVersion().equals(agent) || !s.shape().bangerVersion().equals(BangerVersion.get())
                        || !s.meta().fingerprint().equals(GoldenSnapshots.fingerprint(image)));
            }
            collect(image);
        }
    }

    private void collect(Image image) {
        warm.retireSnapshots(GoldenSnapshot::retired);
        Set<Path> inUse = lifecycle.list().stream().map(vm -> lifecycle.runtime(vm).restoredFrom()).filter(Objects::nonNull)
                .map(p -> p.toAbsolutePath().normalize()).collect(Collectors.toCollection(HashSet::new));
        inUse.addAll(warm.snapshotsInUse());
        int removed = store.collect(image, inUse);
        if (removed > 0) {
            LOG.info("removed {} retired snapshot(s) of image {}", removed, image.name());
        }
    }

    private Optional<SnapshotShape> shape(Image image, Vmm vmm, Acceleration acceleration, int vcpus, int memoryMib) {
        Supplier<String> agent = agentVersion;
        if (agent == null || !vmm.savesSnapshots() || !ImagePolicy.restorable(image)) {
            return Optional.empty();
        }
        return Optional.of(new SnapshotShape(image.name(), vmm.name(), acceleration.kvm(), vcpus, memoryMib, digests.sha256(image.kernel()),
                Machines.unaddressedBootArgs(vmm), agent.get(), BangerVersion.get()));
    }

    private String whyNot(Image image, Vmm vmm) {
        if (agentVersion == null) {
            return "golden snapshots are off on this daemon ([vm] golden_snapshots = false)";
        }
        if (!vmm.savesSnapshots()) {
            return "the " + vmm.name() + " backend new VMs get here cannot save snapshots"
                    + ("firecracker".equals(vmm.name()) ? " without its jail; set [firecracker] jail = true" : "");
        }
        return "image '" + image.name() + "' was built by an older banger: its guest cannot take an identity after a restore;"
                + " rebuild it with 'banger image rebuild-rootfs " + image.name() + "'";
    }

    private Duration bootDeadline(Acceleration acceleration) {
        BootDeadlines d = deadlines.apply(acceleration);
        return d.agent().plus(d.sshd()).plus(d.services());
    }
}
