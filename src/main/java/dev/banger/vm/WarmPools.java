package dev.banger.vm;

import dev.banger.model.Deadline;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.state.VmException;
import dev.banger.vm.warm.WarmMachines;
import java.time.Duration;

/** Waits, bounded, until the warm machines and the TAP pool are full; the benchmark prepares a warm host this way. */
record WarmPools(WarmMachines machines, HostTaps taps) {
    VmService.HostReady await(Duration deadline, String bridge) {
        Deadline end = Deadline.after(deadline);
        try {
            if (!machines.awaitWarm(deadline)) {
                throw VmException.failed("the warm machines did not start within " + deadline.toSeconds() + " s; "
                        + machines.idleCount() + " of " + machines.size() + " wait (see bangerd.log)");
            }
            if (!taps.awaitWarm(end.remaining())) {
                throw VmException.failed("the TAP pool did not fill within " + deadline.toSeconds() + " s; "
                        + taps.idleCount() + " of " + taps.size() + " TAPs are warm (see bangerd.log)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw VmException.failed("interrupted while waiting for the warm pools");
        }
        return new VmService.HostReady(bridge, taps.idleCount(), machines.idleCount());
    }
}
