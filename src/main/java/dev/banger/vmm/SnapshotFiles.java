package dev.banger.vmm;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a backend wrote a saved machine ({@link Vmm#saveSnapshot}): the device state and the guest's
 * memory. QEMU writes one migration stream holding both, so {@code memory} is empty; Firecracker
 * writes a state file and a memory file. Both files are 0600: guest memory may hold anything. The
 * drives are not part of it: the caller freezes the files the saved machine ran on. Immutable value.
 *
 * @param state  the device state (QEMU: the whole migration stream)
 * @param memory the guest memory in its own file, where the backend keeps it apart
 */
public record SnapshotFiles(Path state, Optional<Path> memory) {
    public SnapshotFiles {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(memory, "memory");
    }
}
