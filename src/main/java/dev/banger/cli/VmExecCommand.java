package dev.banger.cli;

import dev.banger.host.Command;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code banger vm exec NAME [-t] -- CMD...}: runs one command in the VM over {@code ssh} with the
 * pinned key, stdin passed through, and exits with its exit code, for scripts. Unlike {@code vm ssh
 * NAME -- CMD}, whose words a guest shell reads as a command line, the guest sees exactly the argv
 * typed, and there is no terminal unless asked, so output comes back byte for byte.
 */
@picocli.CommandLine.Command(name = "exec", mixinStandardHelpOptions = true,
        customSynopsis = "banger vm exec [-htV] NAME -- CMD...",
        description = "Run CMD (after --) in a VM with exactly the arguments given, and exit with its exit code.",
        footer = {"", "The exit code is CMD's, passed through ssh; 255 is also ssh's own: it could not connect."})
final class VmExecCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Option(names = {"-t", "--tty"}, description = "Give CMD a terminal (ssh -tt); without it, none (ssh -T).")
    boolean tty;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD",
            description = "The program to run in the VM and its arguments; the -- before it keeps its options its own.")
    List<String> command;

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        SshAccess access = SshAccess.fetch(vm, name);
        return vm.attached.applyAsInt(Command.of(
                ExecCommand.argv(access.target(), access.files().key(), access.files().knownHosts(), tty, command)));
    }
}
