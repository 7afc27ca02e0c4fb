package dev.banger.daemon;

import dev.banger.config.BangerPaths;
import dev.banger.model.BangerVersion;
import dev.banger.model.DaemonStatus;
import dev.banger.model.ShutdownAccepted;
import dev.banger.rpc.RpcMethod;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** {@code daemon.status} and {@code daemon.shutdown}. Thread-safe. */
final class DaemonMethods {
    /** What the status page counts, read fresh on each call. */
    interface Counts {
        int schemaVersion();

        int images();

        int vms();
    }

    private final BangerPaths locations;
    private final Counts counts;
    private final Runnable shutdown;
    private final Clock clock;
    private final Instant startedAt;

    DaemonMethods(BangerPaths locations, Counts counts, Runnable shutdown, Clock clock) {
        this.locations = locations;
        this.counts = counts;
        this.shutdown = shutdown;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    List<RpcMethod<?, ?>> methods() {
        return List.of(
                RpcMethod.withoutParams("daemon.status", caller -> status()),
                RpcMethod.withoutParams("daemon.shutdown", caller -> {
                    // Answer first: the shutdown runs on its own thread once this reply is on its way.
                    Thread.ofPlatform().name("daemon-shutdown").start(shutdown);
                    return new ShutdownAccepted(ProcessHandle.current().pid());
                }));
    }

    DaemonStatus status() {
        Instant now = clock.instant();
        return new DaemonStatus(
                ProcessHandle.current().pid(),
                BangerVersion.get(),
                startedAt,
                Duration.between(startedAt, now).toSeconds(),
                locations.socket().toString(),
                locations.stateDir().toString(),
                locations.runtimeDir().toString(),
                locations.cacheDir().toString(),
                counts.schemaVersion(),
                counts.images(),
                counts.vms());
    }
}
