package dev.banger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code banger runtime}: the runtime bundle (kernels, firecracker, agent, SSH key); runs without the daemon. */
@Command(
        name = "runtime",
        mixinStandardHelpOptions = true,
        description = "Inspect, build, package and install the runtime bundle.")
final class RuntimeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a runtime command is required; see banger runtime --help");
    }
}
