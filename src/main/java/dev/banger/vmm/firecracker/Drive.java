package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code PUT /drives/{drive_id}}: one virtio-block device backed by a raw file. Immutable value. */
public record Drive(
        @JsonProperty("drive_id") String driveId,
        @JsonProperty("path_on_host") String pathOnHost,
        @JsonProperty("is_root_device") boolean isRootDevice,
        @JsonProperty("is_read_only") boolean isReadOnly) {
}
