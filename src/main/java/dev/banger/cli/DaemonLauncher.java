package dev.banger.cli;

import dev.banger.config.BangerPaths;
import dev.banger.host.DetachedProcess;
import dev.banger.host.HostException;
import dev.banger.host.LogTail;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Deadline;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Starts {@code bangerd} detached in its own session (setsid), so it outlives this CLI, and waits
 * — bounded — until its socket answers. Fails fast with the daemon log's tail if it dies first.
 */
final class DaemonLauncher {
    static final Duration START_DEADLINE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 10;

    private final BangerPaths paths;

    DaemonLauncher(BangerPaths paths) {
        this.paths = paths;
    }

    /** Starts the daemon and returns a connected client. */
    RpcClient start() {
        if (!isRoot()) {
            throw new DaemonUnavailableException("bangerd is not running (socket " + paths.socket()
                    + ") and only root can start it; run: sudo banger daemon start (or: systemctl start bangerd)");
        }
        Path bangerd = locateDaemon();
        Path log = paths.daemonLog();
        Process process;
        try {
            Files.createDirectories(paths.stateDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            process = DetachedProcess.start(List.of("setsid", bangerd.toString()), log);
        } catch (IOException e) {
            throw new DaemonUnavailableException("cannot start " + bangerd + ": " + e.getMessage(), e);
        } catch (HostException e) {
            // The host names the command; the user is told about bangerd, with the system's reason.
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new DaemonUnavailableException("cannot start " + bangerd + ": " + why.getMessage(), why);
        }
        Deadline deadline = Deadline.after(START_DEADLINE);
        while (true) {
            try {
                return RpcClient.connect(paths.socket());
            } catch (DaemonUnavailableException notYet) {
                if (!process.isAlive()) {
                    throw new DaemonUnavailableException("bangerd exited with status " + process.exitValue()
                            + " while starting; end of " + log + ":\n" + tail(log));
                }
                if (deadline.expired()) {
                    throw new DaemonUnavailableException("bangerd did not open " + paths.socket() + " within "
                            + START_DEADLINE.toSeconds() + " s; end of " + log + ":\n" + tail(log));
                }
            }
            try {
                // Polling a socket that appears within milliseconds; the deadline above bounds it.
                deadline.sleep(Duration.ofMillis(POLL_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DaemonUnavailableException("interrupted while starting bangerd");
            }
        }
    }

    private static Path locateDaemon() {
        String binDir = System.getProperty("banger.bin");
        if (binDir != null) {
            Path beside = Path.of(binDir, "bangerd");
            if (Files.isExecutable(beside)) {
                return beside;
            }
        }
        Optional<Path> onPath = ProcessHostCommands.resolve("bangerd");
        return onPath.orElseThrow(() -> new DaemonUnavailableException(
                "cannot find the bangerd launcher beside banger or on PATH; run: make build (or make install)"));
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    static String tail(Path log) {
        try {
            return LogTail.read(log, 2000).text().strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
