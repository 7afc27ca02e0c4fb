package dev.banger.cli;

import dev.banger.host.Command;
import dev.banger.model.BangerException;
import dev.banger.model.HealthReport;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code banger vm ssh NAME [-- CMD...]}: runs the system {@code ssh} into the VM with the key and
 * pinned host keys from the daemon, attached to this terminal, and exits with ssh's exit code.
 * After an interactive session it reminds the user that the VM keeps running.
 */
@picocli.CommandLine.Command(name = "ssh", mixinStandardHelpOptions = true,
        description = "Open a shell in a VM, or run CMD in it (after --).")
final class VmSshCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    VmCommand vm;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", paramLabel = "CMD", description = "Command to run in the VM instead of a shell.")
    List<String> remoteCommand = List.of();

    @Override
    public Integer call() {
        VmView.requireName(spec, name);
        SshAccess access = SshAccess.fetch(vm, name);
        int exit = vm.attached.applyAsInt(Command.of(SshCommand.argv(access.target(), access.files().key(),
                access.files().knownHosts(), remoteCommand)));
        if (remoteCommand.isEmpty()) {
            remind(spec.commandLine().getErr());
        }
        return exit;
    }

    /** A running VM costs memory; say so after the session, with the command that stops it. */
    private void remind(PrintWriter err) {
        String stop = "; stop it with: banger vm stop " + name;
        try (RpcClient client = vm.connect()) {
            HealthReport health = client.call("vm.health", Map.of("name", name), HealthReport.class, Duration.ofSeconds(10));
            err.println(name + " is still running (agent: " + VmHealthCommand.status(health) + ")" + stop);
        } catch (BangerException e) {
            err.println(name + " may still be running (could not ask its agent: " + e.getMessage() + ")" + stop);
        }
        err.flush();
    }
}
