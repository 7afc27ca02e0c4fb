package dev.banger.capability;

/**
 * The host's NAT rules for the guest subnet. A guest needs them only once it runs, so installing
 * them (two processes) overlaps the VMM's start: {@link #startNat} begins and {@link #awaitNat}
 * waits. Implementations are thread-safe and idempotent.
 */
public interface NatControl {
    /** Starts installing the masquerade rules in the background unless they are installed, being installed, or NAT is off. */
    void startNat();

    /** Waits until the rules {@link #startNat} began are installed; rethrows the install's failure. */
    void awaitNat();
}
