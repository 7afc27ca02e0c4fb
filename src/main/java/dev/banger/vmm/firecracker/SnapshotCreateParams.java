package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PUT /snapshot/create}: a full snapshot of the paused machine, its device state and
 * its guest memory in two files named as Firecracker sees the file system. Immutable value.
 */
public record SnapshotCreateParams(
        @JsonProperty("snapshot_type") String snapshotType,
        @JsonProperty("snapshot_path") String snapshotPath,
        @JsonProperty("mem_file_path") String memFilePath) {

    /** All of the memory: a golden snapshot is restored on its own, never on top of another. */
    static SnapshotCreateParams full(String snapshotPath, String memFilePath) {
        return new SnapshotCreateParams("Full", snapshotPath, memFilePath);
    }
}
