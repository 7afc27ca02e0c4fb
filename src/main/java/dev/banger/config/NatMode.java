package dev.banger.config;

import java.util.Locale;

/** How guests reach the outside ({@code network.nat}): {@code auto} prefers nftables, then iptables. */
public enum NatMode {
    AUTO,
    NFTABLES,
    IPTABLES,
    OFF;

    /** The spelling used in the config file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
