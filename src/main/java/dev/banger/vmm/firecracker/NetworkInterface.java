package dev.banger.vmm.firecracker;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code PUT /network-interfaces/{iface_id}}: a virtio-net device on a host TAP. Immutable value. */
public record NetworkInterface(
        @JsonProperty("iface_id") String ifaceId,
        @JsonProperty("host_dev_name") String hostDevName,
        @JsonProperty("guest_mac") String guestMac) {
}
