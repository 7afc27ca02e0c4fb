package dev.banger.cli;

import dev.banger.model.VmInfo;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger vm show NAME}: the VM's settings and where it lives on the host. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one VM.")
final class VmShowCommand implements Callable<Integer> {
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
        VmView.requireName(spec, name);
        return DaemonCall.print(spec.commandLine().getOut(), output, vm::connect, "vm.show", Map.of("name", name),
                VmInfo.class, Duration.ofSeconds(30), (printer, info) -> printer.fields(VmView.fields(info)));
    }
}
