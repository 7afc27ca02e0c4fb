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

/** {@code banger vm port rm NAME HOST}: unpublishes a port by its host side (or the whole spec). */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Stop publishing a VM's port on the host.")
final class VmPortRmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmPortCommand port;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "HOST",
            description = "[HOST_ADDR:]HOST_PORT[/tcp|udp] as published (HOST_ADDR defaults to 127.0.0.1), or the whole spec.")
    String hostSide;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        VmPortCommand.hostSide(spec, hostSide);
        return DaemonCall.print(spec.commandLine().getOut(), output, port.vm::connect, "vm.port.rm",
                Map.of("name", name, "spec", hostSide), VmPorts.class, Duration.ofSeconds(60), VmPortCommand::print);
    }
}
