package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PUT /boot-source}: the uncompressed kernel, an optional initrd (left out of the
 * JSON when null) and the kernel command line. Immutable value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BootSource(
        @JsonProperty("kernel_image_path") String kernelImagePath,
        @JsonProperty("initrd_path") String initrdPath,
        @JsonProperty("boot_args") String bootArgs) {
}
