package dev.banger.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm restart NAME}: stops and boots a VM again; prints the resulting state. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop and start a VM again.")
final class VmRestartCommand implements Callable<Integer> {
    static final Duration DEADLINE = Duration.ofMinutes(15);

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
        return VmStateChange.run(spec, vm, output, "vm.restart", name, DEADLINE);
    }
}
