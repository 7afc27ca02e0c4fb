package dev.banger.config;

import java.util.Objects;

/**
 * The {@code [vm]} table: what {@code banger vm create} uses when the command line does not say.
 * Immutable.
 *
 * @param vcpus  virtual CPUs, 1..32
 * @param memory guest memory, whole MiB, 128M..1T
 * @param disk   size of the persistent {@code /root} work disk, 256M..64T
 */
public record VmDefaults(int vcpus, ByteSize memory, ByteSize disk) {
    public static final VmDefaults DEFAULTS = new VmDefaults(2, ByteSize.ofGibibytes(1), ByteSize.ofGibibytes(8));

    public VmDefaults {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(disk, "disk");
    }
}
