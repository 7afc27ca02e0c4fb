package dev.banger.vm.boot;

/** The sshd stage: the agent sees sshd and {@code /root} mounted, then a TCP connect; its report carries the host keys. */
final class SshdStep implements BootStep {
    @Override
    public CreateStage stage() {
        return CreateStage.SSHD;
    }

    @Override
    public void run(BootJob job) {
        if (!job.awaitGuest) {
            return;
        }
        // sshd only runs once the host keys exist, so this report carries them.
        job.ready = job.waiter.awaitSsh(job.name(), job.instance, job.vm.network().ip(), job.deadlines.sshd());
    }
}
