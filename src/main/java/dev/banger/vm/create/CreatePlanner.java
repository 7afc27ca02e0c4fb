package dev.banger.vm.create;

import dev.banger.host.disk.CloneStrategyChooser;
import dev.banger.host.disk.DiskRole;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.image.ImageManifest;
import dev.banger.image.Profile;
import dev.banger.model.Image;
import dev.banger.vm.host.TapSource;
import dev.banger.vm.warm.WarmShape;
import dev.banger.vmm.BackendChoice;
import java.util.List;
import java.util.Optional;

/**
 * Turns a checked create request and the facts of this host into a {@link CreatePlan}: the launch
 * path (warm machine or cold boot), each disk's clone strategy and the TAP source. Pure: the facts
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
     */
    public record HostFacts(HostDiskFacts disks, boolean adoptsPausedMachines, boolean workSeedPresent) {}

    /** A create request that met every rule, with the defaults filled in. */
    public record Request(String image, int vcpus, int memoryMib, long diskBytes, boolean slowPath) {}

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
        return new CreatePlan(name, image, request.vcpus(), request.memoryMib(), request.diskBytes(), backend.backend(),
                backend.acceleration(), declaredServices(manifest), launch);
    }

    /** Services the image promises (the dev profile serves opencode); registered images promise none. */
    public static List<String> declaredServices(Optional<ImageManifest> manifest) {
        return manifest.filter(m -> m.profile() == Profile.DEV).map(m -> List.of("opencode")).orElse(List.of());
    }
}
