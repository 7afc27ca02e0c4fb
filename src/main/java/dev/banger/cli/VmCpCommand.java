package dev.banger.cli;

import dev.banger.host.Command;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code banger vm cp [-r] [NAME:]SRC [NAME:]DST}: copies files into or out of one VM with the
 * system {@code scp} and the VM's pinned key, attached to the terminal (scp shows its progress),
 * and exits with scp's exit code. Copies between two VMs go through this machine.
 */
@picocli.CommandLine.Command(name = "cp", mixinStandardHelpOptions = true,
        description = "Copy files into or out of a VM with scp; NAME:path is the VM side, exactly one side is.",
        footer = {"", "A local path containing ':' can be given as ./a:b; put -- before a path starting with '-'."})
final class VmCpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Option(names = "-r", description = "Copy directories recursively.")
    boolean recursive;

    @Parameters(index = "0", paramLabel = "[NAME:]SRC")
    String source;

    @Parameters(index = "1", paramLabel = "[NAME:]DST")
    String destination;

    @Override
    public Integer call() {
        ScpCommand.Operand from = ScpCommand.parse(source);
        ScpCommand.Operand to = ScpCommand.parse(destination);
        String name;
        try {
            name = ScpCommand.vm(from, to);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        VmView.requireName(spec, name);
        SshAccess access = SshAccess.fetch(vm, name);
        return vm.attached.applyAsInt(Command.of(
                ScpCommand.argv(access.target(), access.files().key(), access.files().knownHosts(), recursive, from, to)));
    }
}
