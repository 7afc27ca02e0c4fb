package dev.banger.vm.boot;

import java.util.List;

/**
 * The shares stage: the VM's shared host directories mounted in the guest over SSH, with the host
 * keys sshd's stage pinned. Last, so that nothing else waits for it, and first undone.
 */
final class SharesStep implements BootStep {
    private final GuestShares shares;

    SharesStep(GuestShares shares) {
        this.shares = shares;
    }

    @Override
    public CreateStage stage() {
        return CreateStage.SHARES;
    }

    @Override
    public void run(BootJob job) {
        if (!job.awaitGuest) {
            return;
        }
        job.undos.push(CreateStage.SHARES, () -> shares.detach(job.name()));
        shares.attach(job.vm, job.runtime.get().vmDir(), job.ready == null ? List.of() : job.ready.hostKeys());
    }
}
