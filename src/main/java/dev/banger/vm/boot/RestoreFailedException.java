package dev.banger.vm.boot;

import dev.banger.vm.snapshot.GoldenSnapshot;

/**
 * A golden snapshot did not load or its guest did not answer afterwards: the create retires the
 * snapshot and boots cold instead. Anything after the guest answered (its identity above all) is
 * not this: it fails the create.
 */
public final class RestoreFailedException extends RuntimeException {
    private final transient GoldenSnapshot snapshot;

    RestoreFailedException(GoldenSnapshot snapshot, RuntimeException cause) {
        super(snapshot + " did not restore: " + cause.getMessage(), cause);
        this.snapshot = snapshot;
    }

    public GoldenSnapshot snapshot() {
        return snapshot;
    }
}
