package dev.banger.model;

import java.util.Objects;

/**
 * The unique addresses a VM holds for as long as its row exists: guest IPv4 address, guest NIC
 * MAC address and vsock context id. Immutable value.
 *
 * @param ip       dotted-quad IPv4 address inside the bridge subnet, e.g. {@code 172.30.0.2}
 * @param mac      locally administered MAC, lower-case and colon-separated, e.g. {@code 02:bf:ac:1e:00:02}
 * @param vsockCid guest vsock context id, at least 3 (0–2 are reserved by the vsock spec)
 */
public record NetworkAllocation(String ip, String mac, long vsockCid) {
    public NetworkAllocation {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(mac, "mac");
    }
}
