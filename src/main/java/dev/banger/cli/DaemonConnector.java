package dev.banger.cli;

import dev.banger.config.BangerPaths;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import java.util.Optional;

/** How commands reach the daemon: connect, and start it first when a command needs it. */
final class DaemonConnector {
    private final BangerPaths paths;

    DaemonConnector(BangerPaths paths) {
        this.paths = paths;
    }

    static DaemonConnector fromEnvironment() {
        return new DaemonConnector(BangerPaths.fromEnvironment());
    }

    BangerPaths paths() {
        return paths;
    }

    /** A client to a running daemon, starting the daemon when it is absent. */
    RpcClient connectOrStart() {
        return ifRunning().orElseGet(() -> new DaemonLauncher(paths).start());
    }

    /** A client when the daemon runs; empty when nothing listens on the socket. */
    Optional<RpcClient> ifRunning() {
        try {
            return Optional.of(RpcClient.connect(paths.socket()));
        } catch (DaemonUnavailableException e) {
            return Optional.empty();
        }
    }
}
