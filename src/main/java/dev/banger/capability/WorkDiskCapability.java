package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;
import dev.banger.guestconfig.GuestMount;
import dev.banger.host.disk.DiskFormat;
import dev.banger.vmm.MachineSpec;

/**
 * The persistent work disk: the second drive, mounted at {@code /root} by its file system label so
 * that its position among the drives does not matter. Images that mount what their configuration
 * lists ({@link VmContext#mountsFromConfig}) are told so with {@link #MOUNT}; older images mount it
 * from their fstab and get no mount word. Stateless.
 */
public final class WorkDiskCapability implements Capability {
    public static final String DRIVE_ID = "work";
    /** The work disk's file system label, which the image's work seed is made with. */
    public static final String LABEL = "banger-work";
    /**
     * The work disk on {@code /root}; the guest grows its file system to the disk itself, and skips
     * the mount (the VM still boots) when the disk never appears.
     */
    public static final GuestMount MOUNT = GuestMount.withDefaults("LABEL=" + LABEL, "/root", "ext4");

    @Override
    public String name() {
        return "work-disk";
    }

    @Override
    public void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest) {
        machine.drive(new MachineSpec.Drive(DRIVE_ID, vm.workDisk(), DiskFormat.ofFile(vm.workDisk()), false));
        if (vm.mountsFromConfig()) {
            guest.mount(MOUNT);
        }
    }
}
