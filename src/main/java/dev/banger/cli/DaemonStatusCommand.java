package dev.banger.cli;

import dev.banger.model.DaemonStatus;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code banger daemon status}: pid, uptime, version, socket and state dir; never starts the daemon. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show whether bangerd runs, and its details.")
final class DaemonStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    record NotRunning(boolean running, String socket) {}

    @Override
    public Integer call() {
        DaemonConnector connector = DaemonConnector.fromEnvironment();
        Printer printer = new Printer(spec.commandLine().getOut());
        Optional<RpcClient> running = connector.ifRunning();
        if (running.isEmpty()) {
            if (output.json) {
                printer.json(new NotRunning(false, connector.paths().socket().toString()));
            } else {
                printer.line("bangerd is not running (socket " + connector.paths().socket() + ")");
            }
            return ExitCodes.DAEMON_UNAVAILABLE;
        }
        DaemonStatus status;
        try (RpcClient client = running.get()) {
            status = client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(10));
        }
        if (output.json) {
            printer.json(status);
        } else {
            printer.fields(List.of(
                    new String[] {"status", "running"},
                    new String[] {"pid", Long.toString(status.pid())},
                    new String[] {"version", status.version()},
                    new String[] {"uptime", Durations.human(Duration.ofSeconds(status.uptimeSeconds()))},
                    new String[] {"socket", status.socket()},
                    new String[] {"state dir", status.stateDir()},
                    new String[] {"cache dir", status.cacheDir()},
                    new String[] {"schema", Integer.toString(status.schemaVersion())},
                    new String[] {"images", Integer.toString(status.images())},
                    new String[] {"vms", Integer.toString(status.vms())}));
        }
        return ExitCodes.OK;
    }
}
