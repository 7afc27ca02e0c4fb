package dev.banger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code banger daemon start|stop|status}. */
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        description = "Start, stop or inspect bangerd.")
final class DaemonCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose one of: start, stop, status");
    }
}
