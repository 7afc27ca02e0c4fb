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

/** {@code banger vm port list NAME}: the ports a VM publishes. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the ports a VM publishes on the host.")
final class VmPortListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmPortCommand port;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        return DaemonCall.print(spec.commandLine().getOut(), output, port.vm::connect, "vm.port.list", Map.of("name", name),
                VmPorts.class, Duration.ofSeconds(30), VmPortCommand::print);
    }
}
