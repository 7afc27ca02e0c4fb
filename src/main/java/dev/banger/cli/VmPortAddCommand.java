package dev.banger.cli;

import dev.banger.model.VmPorts;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm port add NAME SPEC}: publishes a port; on a running VM it works at once. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Publish a VM's port on the host (at once when it runs, else from its next start).")
final class VmPortAddCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmPortCommand port;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "SPEC", description = VmPortCommand.SPEC_HELP)
    String forward;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        VmPortCommand.forward(spec, forward);
        return DaemonCall.print(spec.commandLine().getOut(), output, port.vm::connect, "vm.port.add",
                Map.of("name", name, "spec", forward), VmPorts.class, Duration.ofSeconds(60), VmPortCommand::print);
    }
}
