package dev.banger.config;

import dev.banger.model.Ipv4Subnet;
import java.util.Objects;

/**
 * The {@code [network]} table: the host bridge guests hang off, their subnet and DNS domain, how
 * many TAP devices are kept ready, and how NAT is done. Immutable.
 *
 * @param bridge      Linux interface name of the bridge, at most 15 characters
 * @param subnet      guest network; the bridge takes the first address
 * @param domain      DNS suffix of guest names ({@code dev1.banger.internal})
 * @param tapPoolSize pre-created TAP devices waiting for the next VM, 0..64
 * @param nat         NAT backend, or off
 */
public record NetworkConfig(String bridge, Ipv4Subnet subnet, String domain, int tapPoolSize, NatMode nat) {
    public static final NetworkConfig DEFAULTS =
            new NetworkConfig("banger0", SubnetSetting.parse("172.30.0.0/24"), "banger.internal", 4, NatMode.AUTO);

    public NetworkConfig {
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(nat, "nat");
    }
}
