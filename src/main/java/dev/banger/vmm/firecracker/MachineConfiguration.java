package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PUT /machine-config}: vCPUs and memory. SMT stays off so that any vCPU count in
 * Firecracker's range is accepted. Immutable value.
 */
public record MachineConfiguration(
        @JsonProperty("vcpu_count") int vcpuCount,
        @JsonProperty("mem_size_mib") int memSizeMib,
        @JsonProperty("smt") boolean smt) {
}
