package dev.banger.host.net;

/** Which firewall tool installed the guests' NAT, or none. */
public enum NatBackend {
    NONE,
    NFTABLES,
    IPTABLES
}
