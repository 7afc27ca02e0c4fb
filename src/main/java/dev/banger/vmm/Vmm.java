package dev.banger.vmm;

import java.time.Duration;

/**
 * A virtual machine monitor backend (Firecracker or QEMU): starts a machine described by a
 * {@link MachineSpec} as a detached process in its own session, so that it outlives the daemon
 * request and the daemon itself, and stops it again. Everything above this package (create
 * pipeline, capabilities, agent health) is shared by every backend. Implementations must be safe
 * for concurrent use on different machines.
 */
public interface Vmm {
    /**
     * The backend's stable name, as stored on the VM and shown by {@code vm show}: a
     * {@link VmmKind#wireName()} ({@code firecracker} or {@code qemu}); a test's fake has its own.
     */
    String name();

    /**
     * Whether it opens qcow2 disk files (overlays on the image's files), or only raw ones; the
     * clone strategies a VM's disks may use follow from it.
     */
    default boolean opensQcow2() {
        return false;
    }

    /** The base kernel command line its guests boot with; see {@link KernelFlavour}. */
    default KernelFlavour kernelFlavour() {
        return KernelFlavour.QEMU_MICROVM;
    }

    /**
     * Which base kernel command line a backend's guests need (the lines themselves are
     * {@code guestconfig.KernelCommandLine}'s, which this package does not depend on).
     */
    enum KernelFlavour {
        /** Firecracker's documented boot arguments. */
        FIRECRACKER,
        /** QEMU {@code -M microvm}: today the same words, kept apart so the two can diverge. */
        QEMU_MICROVM
    }

    /**
     * Spawns and configures the machine and lets it boot: {@link #startPaused} then {@link #resume}.
     * Returns once the VMM process runs and has accepted the whole configuration; it does not wait
     * for the guest. On failure nothing is left running (a spawned process is killed) and the error
     * carries the VMM log tail.
     *
     * @throws VmmException when the process cannot be started, exits early or refuses the configuration
     */
    default VmmInstance start(MachineSpec spec) {
        VmmInstance instance = startPaused(spec);
        try {
            resume(instance);
        } catch (RuntimeException e) {
            stop(instance, Duration.ZERO);
            throw e;
        }
        return instance;
    }

    /**
     * Spawns and configures the machine, but its guest does not run yet: QEMU's vCPUs stay stopped,
     * Firecracker has its configuration but no {@code InstanceStart}. {@link #resume} lets it run; a
     * creator can thereby keep the cores for host work still in flight. Same guarantees as {@link #start}.
     */
    VmmInstance startPaused(MachineSpec spec);

    /**
     * Lets a machine from {@link #startPaused} run; called once per machine.
     *
     * @throws VmmException when the VMM does not answer or refuses (the caller stops the machine)
     */
    void resume(VmmInstance instance);

    /**
     * Stops the machine in an orderly way (the guest sees Ctrl-Alt-Del or an ACPI power-off), waits
     * up to {@code grace} for the process to exit, then kills it. Tolerates a process that is already gone.
     */
    void stop(VmmInstance instance, Duration grace);

    /**
     * Whether a machine from {@link #startPaused} can become a VM chosen after it started (the warm
     * pool): its directory renamed ({@link #moved}) and a drive grown ({@link #growDrive}) while its
     * guest has not run yet.
     */
    default boolean adoptsPausedMachines() {
        return false;
    }

    /**
     * The same paused machine after its directory was renamed to {@code vmDir}: the process is
     * unchanged, the paths it is reached by are the new ones.
     *
     * @throws VmmException when the process there is not this backend's machine for {@code vmDir}
     */
    default VmmInstance moved(VmmInstance instance, java.nio.file.Path vmDir) {
        throw new UnsupportedOperationException(name() + " does not adopt paused machines");
    }

    /**
     * Grows drive {@code driveId} to {@code bytes}: of a paused machine from the warm pool, whose guest
     * reads the size at boot, or of a restored one, whose guest is told of the new capacity.
     */
    default void growDrive(VmmInstance instance, String driveId, long bytes) {
        throw new UnsupportedOperationException(name() + " does not adopt paused machines");
    }

    /**
     * {@link #startPaused} for a machine that {@link #saveSnapshot} will save: a backend may lay out
     * its memory so that the snapshot keeps it apart from the devices' state (QEMU then maps the
     * guest's RAM from a file). The default starts it as any other machine.
     */
    default VmmInstance startSavable(MachineSpec spec) {
        return startPaused(spec);
    }

    /**
     * Whether it can save a running machine to files ({@link #saveSnapshot}) and start new machines
     * from them ({@link #restorePaused}): the golden snapshots creates restore instead of booting.
     */
    default boolean savesSnapshots() {
        return false;
    }

    /**
     * Pauses the running machine, writes its memory and device state into {@code dir} (which exists
     * and is empty; the files are made 0600), then ends the process. On failure the files written so
     * far are removed and the process is ended too: a half-saved machine is never kept.
     *
     * @throws VmmException when the VMM refuses, fails to write or runs out of time
     */
    default SnapshotFiles saveSnapshot(VmmInstance instance, java.nio.file.Path dir) {
        throw new UnsupportedOperationException(name() + " does not save snapshots");
    }

    /**
     * Starts a machine that loads {@code snapshot} instead of booting, paused until {@link #resume}.
     * {@code spec} must describe the same machine as the saved one (vCPUs, memory, kernel, boot
     * arguments, drive ids and order, a NIC and the agent), but in this VM's directory, on this VM's
     * drive files and TAP. Returns once the saved state is loaded; same guarantees as
     * {@link #startPaused}.
     *
     * @throws VmmException when the process cannot start or the snapshot does not load (the caller then
     *                      discards the snapshot and boots cold)
     */
    default VmmInstance restorePaused(MachineSpec spec, SnapshotFiles snapshot) {
        throw new UnsupportedOperationException(name() + " does not restore snapshots");
    }

    /** The file the guest's serial console goes to for a machine in {@code vmDir} (for {@code vm logs} and error messages). */
    java.nio.file.Path consoleLog(java.nio.file.Path vmDir);

    /** Whether the instance's VMM process still runs (the pid is alive and is still that VMM). */
    boolean isAlive(VmmInstance instance);
}
