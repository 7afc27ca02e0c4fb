package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of {@code PUT /snapshot/load}: the saved device state, the memory file mapped as the guest's
 * memory, and what differs in this machine from the saved one: its host TAP and its vsock socket.
 * {@code resume_vm} stays false, so the machine waits for {@code PATCH /vm} like a paused start
 * waits for {@code InstanceStart}. Immutable value.
 *
 * @param snapshotPath     the state file, as Firecracker sees it
 * @param memBackend       the memory file
 * @param resumeVm         whether the vCPUs run at once
 * @param networkOverrides this machine's TAP per saved interface (empty without a NIC, then left out)
 * @param vsockOverride    this machine's vsock socket
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SnapshotLoadParams(
        @JsonProperty("snapshot_path") String snapshotPath,
        @JsonProperty("mem_backend") MemoryBackend memBackend,
        @JsonProperty("resume_vm") @JsonInclude(JsonInclude.Include.ALWAYS) boolean resumeVm,
        @JsonProperty("network_overrides") List<NetworkOverride> networkOverrides,
        @JsonProperty("vsock_override") VsockOverride vsockOverride) {

    public SnapshotLoadParams {
        networkOverrides = List.copyOf(networkOverrides);
    }

    /** The guest memory: a file Firecracker maps privately, so the guest's writes never reach it. */
    public record MemoryBackend(
            @JsonProperty("backend_type") String backendType,
            @JsonProperty("backend_path") String backendPath) {

        static MemoryBackend file(String path) {
            return new MemoryBackend("File", path);
        }
    }

    /** The host TAP the saved interface {@code ifaceId} uses in this machine. */
    public record NetworkOverride(
            @JsonProperty("iface_id") String ifaceId,
            @JsonProperty("host_dev_name") String hostDevName) {}

    /** The host socket the saved vsock device listens on in this machine. */
    public record VsockOverride(@JsonProperty("uds_path") String udsPath) {}
}
