package dev.banger.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm stop NAME}: stops a running VM; prints the resulting state. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running VM.")
final class VmStopCommand implements Callable<Integer> {
    static final Duration DEADLINE = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        return VmStateChange.run(spec, vm, output, "vm.stop", name, DEADLINE);
    }
}
