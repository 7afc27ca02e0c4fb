package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PATCH /drives/{drive_id}}: the running machine's drive file named again, so
 * Firecracker re-opens it, re-reads its size and tells the guest of the new capacity. Immutable value.
 */
public record PartialDrive(
        @JsonProperty("drive_id") String driveId,
        @JsonProperty("path_on_host") String pathOnHost) {
}
