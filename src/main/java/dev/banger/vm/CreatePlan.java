package dev.banger.vm;

import dev.banger.model.Image;
import dev.banger.vmm.Acceleration;
import java.util.List;
import java.util.Objects;

/**
 * A create with every choice made and checked: name, image, sizes, backend, and the services to
 * wait for. Immutable value.
 *
 * @param name      the VM name
 * @param image     the image it is made from
 * @param vcpus     virtual CPUs
 * @param memoryMib guest memory
 * @param diskBytes work disk size
 * @param vmm       backend name
 * @param acceleration KVM or emulation for the new machine, and why (the create reports it)
 * @param services  services the image declares (the agent's names, e.g. {@code opencode})
 * @param workDiskGrowsInGuest whether the image's guest grows {@code /root} to the disk's size at boot
 * @param guestConfigDrive whether the image's guest reads its settings from a config drive too
 * @param slowPath  take the slow path on purpose ({@link CreateRequest#slowPath()})
 */
public record CreatePlan(String name, Image image, int vcpus, int memoryMib, long diskBytes, String vmm, Acceleration acceleration,
        List<String> services, boolean workDiskGrowsInGuest, boolean guestConfigDrive, boolean slowPath) {
    public CreatePlan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(acceleration, "acceleration");
        services = List.copyOf(services);
    }

    /**
     * Whether a warm machine may become this VM: its guest reads the config drive and grows
     * {@code /root} itself, and this is not the slow path, which measures a VMM started for it.
     */
    boolean mayUseWarmMachine() {
        return guestConfigDrive && workDiskGrowsInGuest && !slowPath;
    }
}
