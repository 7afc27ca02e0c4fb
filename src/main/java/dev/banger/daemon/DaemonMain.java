package dev.banger.daemon;

import dev.banger.config.BangerPaths;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.BangerException;
import dev.banger.model.BangerVersion;
import dev.banger.model.DaemonStatus;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of {@code bangerd}. Runs in the foreground (systemd, or detached by the CLI);
 * SIGTERM and {@code daemon.shutdown} both end it gracefully.
 */
public final class DaemonMain {
    private DaemonMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals("--version")) {
            System.out.println("bangerd " + BangerVersion.get());
            return;
        }
        if (args.length == 1 && args[0].equals("--aot-training")) {
            train();
            return;
        }
        if (args.length > 0) {
            System.err.println("usage: bangerd [--version]\n"
                    + "Environment: BANGER_STATE_DIR, BANGER_RUNTIME_DIR, BANGER_CACHE_DIR, BANGER_CONFIG.");
            System.exit(2);
        }
        Logger log = LoggerFactory.getLogger(DaemonMain.class);
        Daemon daemon;
        try {
            daemon = Daemon.start(BangerPaths.fromEnvironment(), new ProcessHostCommands());
        } catch (BangerException e) {
            log.error("bangerd cannot start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "shutdown-hook"));
        daemon.awaitShutdownRequest();
        // Exiting runs the shutdown hook, which is also the SIGTERM path: one way out.
        System.exit(0);
    }

    /** Starts and stops a daemon on the (temporary) dirs from the environment, for the AOT cache. */
    private static void train() {
        try (Daemon daemon = Daemon.start(BangerPaths.fromEnvironment(), new ProcessHostCommands());
                RpcClient client = RpcClient.connect(daemon.paths().socket())) {
            client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(30));
        }
    }
}
