package dev.banger.host.net;

import java.util.List;
import java.util.Objects;

/**
 * What the kernel reports about one network interface (from {@code ip -j -d addr show}), as far
 * as the planner cares. Immutable value.
 *
 * @param name   interface name
 * @param kind   {@code bridge}, {@code tap}, {@code tun}, another link kind, or empty for a plain device
 * @param up     administratively up (the {@code UP} flag)
 * @param master the bridge it is attached to, or empty
 * @param ipv4   IPv4 addresses in CIDR form, e.g. {@code 172.30.0.1/24}
 */
public record LinkState(String name, String kind, boolean up, String master, List<String> ipv4) {
    public LinkState {
        Objects.requireNonNull(name, "name");
        kind = kind == null ? "" : kind;
        master = master == null ? "" : master;
        ipv4 = ipv4 == null ? List.of() : List.copyOf(ipv4);
    }
}
