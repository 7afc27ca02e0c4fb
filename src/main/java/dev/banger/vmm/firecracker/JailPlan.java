package dev.banger.vmm.firecracker;

import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.SnapshotFiles;
import dev.banger.vmm.VmmException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What must be in a jail before the jailer runs, and the spec rewritten to name those files:
 * the kernel and initrd are hard-linked into {@code boot/} (copied when they live on another file
 * system), drives into {@code drives/<id>} (a regular file is hard-linked so the guest writes the
 * VM's own disk; a block device such as a dm-snapshot gets a device node with the same numbers),
 * and Firecracker's log and metrics are created empty. Pure: the facts about each source come in
 * through a probe, so a plan is computed and tested on values; {@link JailBuilder} carries it out.
 * Immutable value.
 *
 * @param layout the jail
 * @param spec   the machine with every file path moved inside the jail (host paths, see
 *               {@link JailLayout#seenByFirecracker})
 * @param steps  what to create, in order
 */
public record JailPlan(JailLayout layout, MachineSpec spec, List<Step> steps) {
    public JailPlan {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(spec, "spec");
        steps = List.copyOf(steps);
    }

    /** One file to create inside the jail. */
    public sealed interface Step permits Link, Copy, DeviceNode, EmptyFile {
        Path target();
    }

    /** A hard link to {@code source}: the jailed Firecracker opens the very same file. */
    public record Link(Path source, Path target) implements Step {}

    /** A copy of a read-only file (boot file, snapshot) that lives on another file system than the jail. */
    public record Copy(Path source, Path target) implements Step {}

    /** A block device node with the source device's numbers. */
    public record DeviceNode(Path target, int major, int minor) implements Step {}

    /** An empty file Firecracker opens but does not create (its log, its metrics). */
    public record EmptyFile(Path target) implements Step {}

    /** What a source file is, as the probe found it. */
    public enum Kind { REGULAR_FILE, BLOCK_DEVICE, MISSING, OTHER }

    /**
     * The facts about one source file.
     *
     * @param realPath   the file with links resolved (a hard link to a symlink would dangle in the jail)
     * @param kind       what it is
     * @param fileSystem the device id of the file system it lives on ({@code st_dev})
     * @param major      for a block device, its major number
     * @param minor      for a block device, its minor number
     */
    public record Source(Path realPath, Kind kind, long fileSystem, int major, int minor) {
        public Source {
            Objects.requireNonNull(realPath, "realPath");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * Plans the jail for {@code spec}.
     *
     * @param jailFileSystem the device id of the file system the jail is on (the VM directory's)
     * @param probe          the facts about a source path
     * @throws VmmException {@link ErrorKind#INVALID_ARGUMENT} for a spec Firecracker would refuse,
     *                      {@link ErrorKind#PRECONDITION_FAILED} for a source that cannot be placed
     */
    public static JailPlan of(MachineSpec spec, JailLayout layout, long jailFileSystem, Function<Path, Source> probe) {
        FirecrackerPlan.validate(spec, layout);
        String vm = "VM " + spec.name() + ": ";
        List<Step> steps = new ArrayList<>();
        steps.add(readOnlyFile(vm + "kernel", probe.apply(spec.kernel()), layout.kernel(), jailFileSystem));
        if (spec.initrd() != null) {
            steps.add(readOnlyFile(vm + "initrd", probe.apply(spec.initrd()), layout.initrd(), jailFileSystem));
        }
        List<MachineSpec.Drive> drives = new ArrayList<>();
        for (MachineSpec.Drive drive : spec.drives()) {
            Path target = layout.drive(drive.id());
            steps.add(driveFile(vm + "drive '" + drive.id() + "'", probe.apply(drive.path()), target, jailFileSystem));
            drives.add(new MachineSpec.Drive(drive.id(), target, drive.format(), drive.readOnly()));
        }
        steps.add(new EmptyFile(layout.vmmLog()));
        steps.add(new EmptyFile(layout.metrics()));
        MachineSpec jailed = new MachineSpec(spec.name(), spec.vmDir(), spec.vcpus(), spec.memoryMib(),
                layout.kernel(), spec.initrd() == null ? null : layout.initrd(), spec.bootArgs(), drives,
                spec.nic(), spec.vsockCid(), spec.agentPort());
        return new JailPlan(layout, jailed, steps);
    }

    /**
     * This plan with a saved machine's files placed in the jail too, where a restore loads them
     * from ({@link JailLayout#snapshotState()}, {@link JailLayout#snapshotMemory()}): hard-linked,
     * or copied from another file system. Sharing one memory file among restored machines is safe:
     * Firecracker maps it privately, so no guest's writes reach it.
     *
     * @throws VmmException {@link ErrorKind#PRECONDITION_FAILED} when a file is missing or not a regular file
     */
    public JailPlan withSnapshot(SnapshotFiles snapshot, long jailFileSystem, Function<Path, Source> probe) {
        Path memory = snapshot.memory().orElseThrow(() -> new VmmException(ErrorKind.PRECONDITION_FAILED,
                "VM " + spec.name() + ": snapshot " + snapshot.state() + " has no memory file; Firecracker needs both"));
        String vm = "VM " + spec.name() + ": snapshot ";
        List<Step> all = new ArrayList<>(steps);
        all.add(readOnlyFile(vm + "state", probe.apply(snapshot.state()), layout.snapshotState(), jailFileSystem));
        all.add(readOnlyFile(vm + "memory", probe.apply(memory), layout.snapshotMemory(), jailFileSystem));
        return new JailPlan(layout, spec, all);
    }

    private static Step readOnlyFile(String what, Source source, Path target, long jailFileSystem) {
        if (source.kind() != Kind.REGULAR_FILE) {
            throw notPlaceable(what, source, "is not a regular file");
        }
        return source.fileSystem() == jailFileSystem
                ? new Link(source.realPath(), target)
                : new Copy(source.realPath(), target);
    }

    private static Step driveFile(String what, Source source, Path target, long jailFileSystem) {
        return switch (source.kind()) {
            case BLOCK_DEVICE -> new DeviceNode(target, source.major(), source.minor());
            case REGULAR_FILE -> {
                if (source.fileSystem() != jailFileSystem) {
                    // A copy would take the guest's writes away from the VM's disk.
                    throw notPlaceable(what, source, "is on another file system than the jail, so it cannot be"
                            + " hard-linked into it; keep the VM's disks under its directory or turn [firecracker] jail off");
                }
                yield new Link(source.realPath(), target);
            }
            case MISSING, OTHER -> throw notPlaceable(what, source, "is not a regular file or block device");
        };
    }

    private static VmmException notPlaceable(String what, Source source, String why) {
        String state = source.kind() == Kind.MISSING ? "does not exist" : why;
        return new VmmException(ErrorKind.PRECONDITION_FAILED, what + " " + source.realPath() + " " + state);
    }
}
