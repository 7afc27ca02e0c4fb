package dev.banger.capability;

import dev.banger.vmm.MachineSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The devices capabilities add to a machine, in the order they are added (after the root disk,
 * which is always the first drive). A second drive with an id already used is refused. Not
 * thread-safe; one create owns it.
 */
public final class MachineDevices {
    private final List<MachineSpec.Drive> drives = new ArrayList<>();

    public MachineDevices drive(MachineSpec.Drive drive) {
        if (drives.stream().anyMatch(d -> d.id().equals(drive.id()))) {
            throw new IllegalArgumentException("two drives with the id '" + drive.id() + "'");
        }
        drives.add(drive);
        return this;
    }

    public List<MachineSpec.Drive> drives() {
        return List.copyOf(drives);
    }
}
