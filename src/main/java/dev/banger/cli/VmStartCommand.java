package dev.banger.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm start NAME}: boots a stopped VM and waits for it; prints the resulting state. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start a stopped VM and wait until it has booted.")
final class VmStartCommand implements Callable<Integer> {
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
        return VmStateChange.run(spec, vm, output, "vm.start", name, DEADLINE);
    }
}
