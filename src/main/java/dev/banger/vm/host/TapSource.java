package dev.banger.vm.host;

/** Where a VM's TAP comes from. */
public enum TapSource {
    /** A warm TAP from the pool, given back to it. */
    POOL,
    /** A TAP made for this VM alone ({@code tap-vm-<cid>}), deleted with it: the benchmark's slow path. */
    DEDICATED
}
