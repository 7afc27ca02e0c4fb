package dev.banger.capability;

/** The host's NAT rules for the guest subnet. Implementations are thread-safe and idempotent. */
public interface NatControl {
    /** Makes sure the masquerade rules are installed (no-op when they are, or NAT is off). */
    void ensureNat();
}
