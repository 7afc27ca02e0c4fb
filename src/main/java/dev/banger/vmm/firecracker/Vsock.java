package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code PUT /vsock}: the guest CID and the host Unix socket Firecracker listens on for
 * host-initiated connections ({@code CONNECT <port>}). Immutable value.
 */
public record Vsock(
        @JsonProperty("guest_cid") long guestCid,
        @JsonProperty("uds_path") String udsPath) {
}
