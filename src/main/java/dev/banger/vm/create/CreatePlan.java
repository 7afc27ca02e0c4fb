package dev.banger.vm.create;

import dev.banger.model.Image;
import dev.banger.model.PortForward;
import dev.banger.vm.boot.CreateStage;
import dev.banger.vmm.Acceleration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A create with every choice made and checked: name, image, sizes, backend, the services to wait
 * for, and how the machine is launched. Made by {@link CreatePlanner}. Immutable value.
 *
 * @param name      the VM name
 * @param image     the image it is made from
 * @param vcpus     virtual CPUs
 * @param memoryMib guest memory
 * @param diskBytes work disk size
 * @param vmm       backend name
 * @param acceleration KVM or emulation for the new machine, and why (the create reports it)
 * @param services  services the image declares (the agent's names, e.g. {@code opencode})
 * @param launch    cold boot or warm machine, with the clone strategy per disk and the TAP source
 * @param publish   the ports it publishes, recorded with its row and installed by the ports capability
 */
public record CreatePlan(String name, Image image, int vcpus, int memoryMib, long diskBytes, String vmm, Acceleration acceleration,
        List<String> services, LaunchPath launch, List<PortForward> publish) {
    public CreatePlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(acceleration, "acceleration");
        Objects.requireNonNull(launch, "launch");
        services = List.copyOf(services);
        publish = publish == null ? List.of() : List.copyOf(publish);
    }

    /** A create that publishes no ports. */
    public CreatePlan(String name, Image image, int vcpus, int memoryMib, long diskBytes, String vmm, Acceleration acceleration,
            List<String> services, LaunchPath launch) {
        this(name, image, vcpus, memoryMib, diskBytes, vmm, acceleration, services, launch, List.of());
    }

    /**
     * The stages this create will run, in order, as its operation lists them: a restore's
     * {@code restore} and {@code identity} instead of a boot's {@code vmm-start} and {@code boot}
     * (a restore that fails adds the boot's after it).
     */
    public List<String> stages() {
        Set<CreateStage> skipped = launch instanceof LaunchPath.Restore
                ? EnumSet.of(CreateStage.VMM_START, CreateStage.BOOT) : EnumSet.of(CreateStage.RESTORE, CreateStage.IDENTITY);
        return Arrays.stream(CreateStage.values()).filter(stage -> !skipped.contains(stage)).map(CreateStage::wireName).toList();
    }
}
