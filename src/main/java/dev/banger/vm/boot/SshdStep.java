package dev.banger.vm.boot;

/**
 * The sshd stage: the agent sees sshd and {@code /root} mounted, then a TCP connect; its report
 * carries the host keys. A restored guest's identity stage has just asked the agent: when that
 * report already shows both, only the connect is left to wait for.
 */
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
        if (job.ready != null && BootWaiter.sshdReady(job.ready)) {
            job.waiter.awaitSshPort(job.name(), job.instance, job.vm.network().ip(), job.deadlines.sshd());
            return;
        }
        // sshd only runs once the host keys exist, so this report carries them.
        job.ready = job.waiter.awaitSsh(job.name(), job.instance, job.vm.network().ip(), job.deadlines.sshd());
    }
}
