package dev.banger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code banger bench}: measure banger on this host. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure banger on this host.")
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a bench command is required; see banger bench --help");
    }
}
