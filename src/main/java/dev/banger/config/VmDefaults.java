package dev.banger.config;

import java.util.Objects;

/**
 * The {@code [vm]} table: what {@code banger vm create} uses when the command line does not say,
 * how many machines wait started for it, and whether creates restore snapshots. Immutable.
 *
 * @param vcpus        virtual CPUs, 1..32
 * @param memory       guest memory, whole MiB, 128M..1T
 * @param disk         size of the persistent {@code /root} work disk, 256M..64T
 * @param warmMachines machines kept started (paused) for the next creates, 0..{@value #MAX_WARM_MACHINES}
 * @param goldenSnapshots whether creates restore golden snapshots, made after the first cold create of a shape
 */
public record VmDefaults(int vcpus, ByteSize memory, ByteSize disk, int warmMachines, boolean goldenSnapshots) {
    public static final int MAX_WARM_MACHINES = 16;
    public static final VmDefaults DEFAULTS = new VmDefaults(2, ByteSize.ofGibibytes(1), ByteSize.ofGibibytes(8), 2, true);

    /** Without warm machines or snapshots. */
    public VmDefaults(int vcpus, ByteSize memory, ByteSize disk) {
        this(vcpus, memory, disk, 0, false);
    }

    /** Without snapshots. */
    public VmDefaults(int vcpus, ByteSize memory, ByteSize disk, int warmMachines) {
        this(vcpus, memory, disk, warmMachines, false);
    }

    public VmDefaults {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(disk, "disk");
    }
}
