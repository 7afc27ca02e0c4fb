package dev.banger.capability;

import dev.banger.guestconfig.GuestConfigBuilder;
import dev.banger.host.disk.DiskFormat;
import dev.banger.vmm.MachineSpec;

/**
 * The persistent work disk: the second drive. Images mount it at {@code /root} by its filesystem
 * label ({@code LABEL=banger-work} in their fstab), so the guest needs no per-VM mount argument
 * and a missing disk does not stop the boot. Stateless.
 */
public final class WorkDiskCapability implements Capability {
    public static final String DRIVE_ID = "work";

    @Override
    public String name() {
        return "work-disk";
    }

    @Override
    public void contribute(VmContext vm, MachineDevices machine, GuestConfigBuilder guest) {
        machine.drive(new MachineSpec.Drive(DRIVE_ID, vm.workDisk(), DiskFormat.ofFile(vm.workDisk()), false));
    }
}
