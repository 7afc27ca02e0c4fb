package dev.banger.vmm.firecracker;

import dev.banger.host.disk.DiskFormat;
import dev.banger.vmm.MachineSpec;
import java.nio.file.Path;
import java.util.List;

/** Machine specs shared by this package's tests. */
final class Specs {
    static final String BOOT_ARGS = "console=ttyS0 reboot=k panic=1 pci=off i8042.noaux root=/dev/vda rw";

    private Specs() {
    }

    /** Two raw drives (root, then a read-write work disk), a NIC, an initrd. */
    static MachineSpec full(Path vmDir) {
        return new MachineSpec("dev1", vmDir, 2, 512,
                Path.of("/var/lib/banger/images/debian/vmlinux"),
                Path.of("/var/lib/banger/images/debian/initrd.img"),
                BOOT_ARGS,
                List.of(new MachineSpec.Drive("root", vmDir.resolve("root.ext4"), DiskFormat.RAW, false),
                        new MachineSpec.Drive("work", vmDir.resolve("work.ext4"), DiskFormat.RAW, false)),
                new MachineSpec.Nic("tap-bg0", "02:fc:00:00:00:07"),
                7, 10000);
    }

    static MachineSpec withDrives(Path vmDir, List<MachineSpec.Drive> drives) {
        MachineSpec base = full(vmDir);
        return new MachineSpec(base.name(), vmDir, base.vcpus(), base.memoryMib(), base.kernel(), base.initrd(),
                base.bootArgs(), drives, base.nic(), base.vsockCid(), base.agentPort());
    }

    static MachineSpec withNic(Path vmDir, MachineSpec.Nic nic) {
        MachineSpec base = full(vmDir);
        return new MachineSpec(base.name(), vmDir, base.vcpus(), base.memoryMib(), base.kernel(), base.initrd(),
                base.bootArgs(), base.drives(), nic, base.vsockCid(), base.agentPort());
    }
}
