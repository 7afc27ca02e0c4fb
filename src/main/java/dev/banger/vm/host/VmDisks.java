package dev.banger.vm.host;

import dev.banger.host.HostCommands;
import dev.banger.host.disk.CloneStrategy;
import dev.banger.host.disk.ClonedDisk;
import dev.banger.host.disk.DiskCloner;
import dev.banger.host.disk.DiskFormat;
import dev.banger.host.disk.Ext4Tool;
import dev.banger.host.disk.HostDiskFacts;
import dev.banger.image.Ext4Images;
import dev.banger.image.NestedWorkDisks;
import dev.banger.image.WorkSeeds;
import dev.banger.vm.state.VmFiles;
import dev.banger.vmm.Vmm;
import java.nio.file.Path;

/**
 * VM disks on this host: clones by strategy, their removal, growing a work disk (its ext4 on the
 * host, or a qcow2 overlay's virtual size) and what the host's disks can do. Thread-safe.
 */
public final class VmDisks {
    private final DiskCloner cloner;
    private final Ext4Tool ext4;
    private final HostDiskFacts facts;
    private final HostCommands commands;

    public VmDisks(HostCommands commands, HostDiskFacts facts) {
        this.cloner = new DiskCloner(commands);
        this.ext4 = new Ext4Tool(commands);
        this.facts = facts;
        this.commands = commands;
    }

    /** What this host's disks can do for a machine run by {@code vmm}. */
    public HostDiskFacts factsFor(Vmm vmm) {
        return facts.withQcow2Backend(vmm.opensQcow2());
    }

    public ClonedDisk clone(CloneStrategy strategy, Path base, Path target, long sizeBytes) {
        return cloner.clone(strategy, base, target, sizeBytes);
    }

    /** The size a guest sees of {@code disk} (a qcow2 file's virtual size). */
    public long virtualSize(Path disk) {
        return DiskCloner.virtualSize(disk);
    }

    public void remove(ClonedDisk disk) {
        cloner.remove(disk);
    }

    /**
     * Grows a work disk to {@code bytes}: a raw one with its file system on the host; a qcow2 one
     * (only made for images whose guest grows {@code /root} at boot) only gets the larger virtual size.
     */
    public void growWork(Path disk, long bytes) {
        if (DiskFormat.ofFile(disk) == DiskFormat.QCOW2) {
            cloner.growOverlay(disk, bytes);
        } else {
            ext4.grow(disk, bytes);
        }
    }

    /** Grows a raw work disk's ext4 on the host, deleting the file when that fails. */
    public void growExt4OrDelete(Path work, long bytes) {
        try {
            ext4.grow(work, bytes);
        } catch (RuntimeException e) {
            VmFiles.deleteQuietly(work);
            throw e;
        }
    }

    /** Repairs a raw work disk whose {@code /root} was nested by an older banger; true when it did. */
    public boolean repairNestedLayout(Path work) {
        return work != null && DiskFormat.ofFile(work) == DiskFormat.RAW && new NestedWorkDisks(ext4).repair(work);
    }

    /** A new ext4 at {@code work} holding the rootfs's {@code /root}, made in {@code scratch}. */
    public void workFromRootfs(Path rootfs, Path scratch, Path work) {
        new WorkSeeds(new Ext4Images(commands)).buildFromRootfs(rootfs, scratch, work);
    }
}
