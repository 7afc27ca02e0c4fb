package dev.banger.vm.create;

import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.CloneStrategyChooser;
import dev.banger.host.disk.DiskFormat;
import dev.banger.host.disk.DiskRole;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.image.ImageManifest;
import dev.banger.image.Profile;
import dev.banger.model.Image;
import dev.banger.model.PortForward;
import dev.banger.vm.host.TapSource;
import dev.banger.vm.snapshot.GoldenSnapshot;
import dev.banger.vm.warm.WarmShape;
import dev.banger.vmm.BackendChoice;
import java.util.List;
import java.util.Optional;

/**
 * Turns a checked create request and the facts of this host into a {@link CreatePlan}: the launch
 * path (a snapshot restored, a warm machine or a cold boot), each disk's clone strategy and the TAP source. Pure: the facts
 * come in as data, nothing is read, started or stored here, so the plans are unit-tested as values.
 */
public final class CreatePlanner {
    private CreatePlanner() {}

    /**
     * What the planner needs to know of the host, for the backend the new VM gets.
     *
     * @param disks                what the host's disks can do for that backend (qcow2 only when it opens qcow2)
     * @param adoptsPausedMachines whether that backend can become a VM from the warm pool
     * @param workSeedPresent      whether the image's work seed file exists (a warm machine's work overlay needs it)
     * @param snapshot             the golden snapshot of the create's shape, when there is one to restore
     */
    public record HostFacts(HostDiskFacts disks, boolean adoptsPausedMachines, boolean workSeedPresent,
            Optional<GoldenSnapshot> snapshot) {
        public HostFacts(HostDiskFacts disks, boolean adoptsPausedMachines, boolean workSeedPresent) {
            this(disks, adoptsPausedMachines, workSeedPresent, Optional.empty());
        }
    }

    /**
     * A create request that met every rule, with the defaults filled in.
     *
     * @param cold    boot the kernel even when a snapshot of the shape exists ({@code vm create --cold})
     * @param publish the ports the VM publishes, recorded with its row
     */
    public record Request(String image, int vcpus, int memoryMib, long diskBytes, boolean slowPath, boolean cold,
            List<PortForward> publish) {
        public Request {
            publish = publish == null ? List.of() : List.copyOf(publish);
        }

        public Request(String image, int vcpus, int memoryMib, long diskBytes, boolean slowPath, boolean cold) {
            this(image, vcpus, memoryMib, diskBytes, slowPath, cold, List.of());
        }

        public Request(String image, int vcpus, int memoryMib, long diskBytes, boolean slowPath) {
            this(image, vcpus, memoryMib, diskBytes, slowPath, false);
        }
    }

    public static CreatePlan plan(String name, Request request, Image image, Optional<ImageManifest> manifest,
            BackendChoice backend, HostFacts facts) {
        boolean guestGrows = manifest.map(ImageManifest::workDiskGrowsInGuest).orElse(false);
        boolean configDrive = manifest.map(ImageManifest::guestConfigDrive).orElse(false);
        LaunchPath.ColdBoot cold = request.slowPath() ? LaunchPath.ColdBoot.slowPath()
                : new LaunchPath.ColdBoot(CloneStrategyChooser.choose(facts.disks(), DiskRole.ROOT),
                        new LaunchPath.CloneSeed(CloneStrategyChooser.choose(facts.disks(), DiskRole.WORK, guestGrows), guestGrows),
                        TapSource.POOL);
        // A warm machine's guest reads its settings from the config drive and grows /root itself;
        // the slow path measures a VMM started for the VM, so it never takes one.
        boolean warm = !request.slowPath() && configDrive && guestGrows && facts.adoptsPausedMachines() && facts.workSeedPresent();
        LaunchPath launch = warm ? new LaunchPath.WarmMachine(
                WarmShape.of(image, request.vcpus(), request.memoryMib(), request.diskBytes()), cold) : cold;
        // A restored guest answers in well under a second where any boot takes seconds: it wins
        // over a warm machine. The slow path and --cold measure or want a boot.
        Optional<GoldenSnapshot> snapshot = facts.snapshot()
                .filter(s -> !request.slowPath() && !request.cold() && s.meta().workBytes() <= request.diskBytes());
        if (snapshot.isPresent()) {
            launch = restore(snapshot.get(), facts.disks(), cold);
            if (facts.adoptsPausedMachines() && snapshot.get().diskFormat() == DiskFormat.QCOW2) {
                LaunchPath.Restore restore = (LaunchPath.Restore) launch;
                launch = new LaunchPath.Restore(restore.snapshot(), restore.rootDisk(), restore.workDisk(), cold,
                        WarmShape.restoring(image, snapshot.get()));
            }
        }
        return new CreatePlan(name, image, request.vcpus(), request.memoryMib(), request.diskBytes(), backend.backend(),
                backend.acceleration(), declaredServices(manifest), launch, request.publish());
    }

    private static LaunchPath.Restore restore(GoldenSnapshot snapshot, HostDiskFacts disks, LaunchPath.ColdBoot cold) {
        if (snapshot.diskFormat() == DiskFormat.QCOW2) {
            return new LaunchPath.Restore(snapshot, CloneStrategy.QCOW2_OVERLAY, CloneStrategy.QCOW2_OVERLAY, cold);
        }
        HostDiskFacts raw = disks.withQcow2Backend(false);
        return new LaunchPath.Restore(snapshot, CloneStrategyChooser.choose(raw, DiskRole.ROOT),
                CloneStrategyChooser.choose(raw, DiskRole.WORK), cold);
    }

    /** Services the image promises (the dev profile serves opencode); registered images promise none. */
    public static List<String> declaredServices(Optional<ImageManifest> manifest) {
        return manifest.filter(m -> m.profile() == Profile.DEV).map(m -> List.of("opencode")).orElse(List.of());
    }
}
