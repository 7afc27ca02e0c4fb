package dev.banger.cli;

import dev.banger.model.ShutdownAccepted;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code banger daemon stop}: asks bangerd to shut down gracefully and waits until it has. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop bangerd gracefully.")
final class DaemonStopCommand implements Callable<Integer> {
    static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DaemonConnector connector = DaemonConnector.fromEnvironment();
        Printer printer = new Printer(spec.commandLine().getOut());
        Optional<RpcClient> running = connector.ifRunning();
        if (running.isEmpty()) {
            printer.line("bangerd is not running (socket " + connector.paths().socket() + ")");
            return ExitCodes.OK;
        }
        long pid;
        try (RpcClient client = running.get()) {
            pid = client.call("daemon.shutdown", null, ShutdownAccepted.class, Duration.ofSeconds(10)).pid();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            try {
                process.get().onExit().get(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new DaemonUnavailableException("bangerd (pid " + pid + ") did not exit within "
                        + STOP_DEADLINE.toSeconds() + " s; see " + connector.paths().daemonLog());
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DaemonUnavailableException("interrupted while waiting for bangerd to stop");
            }
        }
        printer.line("bangerd stopped (pid " + pid + ")");
        return ExitCodes.OK;
    }
}
