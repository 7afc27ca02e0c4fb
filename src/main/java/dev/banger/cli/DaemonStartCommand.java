package dev.banger.cli;

import dev.banger.model.DaemonStatus;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code banger daemon start}: starts bangerd detached unless it already runs. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start bangerd in the background.")
final class DaemonStartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        DaemonConnector connector = DaemonConnector.fromEnvironment();
        boolean wasRunning;
        RpcClient client;
        var running = connector.ifRunning();
        if (running.isPresent()) {
            wasRunning = true;
            client = running.get();
        } else {
            wasRunning = false;
            client = new DaemonLauncher(connector.paths()).start();
        }
        try (client) {
            DaemonStatus status = client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(10));
            Printer printer = new Printer(spec.commandLine().getOut());
            if (output.json) {
                printer.json(status);
            } else {
                printer.line((wasRunning ? "bangerd already running" : "bangerd started") + " (pid " + status.pid()
                        + ", socket " + status.socket() + ")");
            }
        }
        return ExitCodes.OK;
    }
}
