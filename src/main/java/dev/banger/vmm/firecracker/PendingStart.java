package dev.banger.vmm.firecracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;

/**
 * How a launched machine whose guest has not run yet is let run, kept in the pre-boot marker
 * ({@link FirecrackerPaths#preBootMarker()}) so a later daemon knows too: a configured machine
 * boots with {@code InstanceStart}; one loaded from a snapshot is already past boot, paused, and
 * runs on {@code PATCH /vm Resumed} (Firecracker refuses {@code InstanceStart} then). Either way
 * the guest cannot take Ctrl-Alt-Del yet, so a stop ends it at once. The marker of a configured
 * machine is empty, as banger wrote it before snapshots. Immutable.
 */
enum PendingStart {
    /** Configured: {@code InstanceStart} boots it. */
    BOOT(""),
    /** Loaded from a snapshot: {@code PATCH /vm Resumed} lets its vCPUs run. */
    RESUME("snapshot-loaded\n");

    private final String marker;

    PendingStart(String marker) {
        this.marker = marker;
    }

    /** The call that lets the guest run. */
    ApiCall call() {
        return this == BOOT ? FirecrackerPlan.start() : FirecrackerPlan.resumeLoaded();
    }

    /** Writes the marker: from now until {@link #clear}, the guest has not run. */
    void mark(FirecrackerPaths paths) throws IOException {
        Files.writeString(paths.preBootMarker(), marker);
    }

    /** What the marker says; empty when there is none (the guest has run). */
    static Optional<PendingStart> of(FirecrackerPaths paths) throws IOException {
        String content;
        try {
            content = Files.readString(paths.preBootMarker());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(content.equals(RESUME.marker) ? RESUME : BOOT);
    }

    /** The guest runs: removes the marker. */
    static void clear(FirecrackerPaths paths) throws IOException {
        Files.deleteIfExists(paths.preBootMarker());
    }
}
