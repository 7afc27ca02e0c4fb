package dev.banger.host.net;

import java.util.List;
import java.util.Objects;

/**
 * What {@link HostNetwork#installNat()} put into the kernel, so the daemon can store it and later
 * remove exactly that: the nftables table banger owns, or the iptables rules it added. Plain data
 * (records, strings, an enum) so it serialises to JSON as is. Immutable value.
 *
 * @param backend       which tool installed it; {@link NatBackend#NONE} when nothing was installed
 * @param nftTable      the {@code ip}-family table, for {@link NatBackend#NFTABLES}; otherwise null
 * @param iptablesRules the rules, for {@link NatBackend#IPTABLES}; otherwise empty
 */
public record NatHandles(NatBackend backend, String nftTable, List<IptablesRule> iptablesRules) {
    public static final NatHandles NONE = new NatHandles(NatBackend.NONE, null, List.of());

    public NatHandles {
        Objects.requireNonNull(backend, "backend");
        iptablesRules = iptablesRules == null ? List.of() : List.copyOf(iptablesRules);
    }

    public static NatHandles nftables(String table) {
        return new NatHandles(NatBackend.NFTABLES, Objects.requireNonNull(table, "table"), List.of());
    }

    public static NatHandles iptables(List<IptablesRule> rules) {
        return new NatHandles(NatBackend.IPTABLES, null, rules);
    }

    /** Whether these handles name nothing to remove. */
    public boolean namesNothing() {
        return switch (backend) {
            case NONE -> true;
            case NFTABLES -> nftTable == null || nftTable.isEmpty();
            case IPTABLES -> iptablesRules.isEmpty();
        };
    }
}
