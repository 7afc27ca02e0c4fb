package dev.banger.cli;

import dev.banger.host.AttachedProcess;
import dev.banger.host.Command;
import dev.banger.rpc.RpcClient;
import java.util.Map;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code banger vm}: create and manage VMs. Also the seam its subcommands reach the outside world
 * through (daemon connector, attached programs, environment), so tests can run them in-process
 * against a fake daemon by setting these fields on the instance picocli created. Not thread-safe.
 */
@picocli.CommandLine.Command(
        name = "vm",
        mixinStandardHelpOptions = true,
        description = "Create, start, stop, enter and delete developer VMs.")
final class VmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** How to reach bangerd; null means from the environment ({@code BANGER_RUNTIME_DIR} etc.). */
    DaemonConnector connector;

    /** Runs a program attached to the terminal and returns its exit code. */
    ToIntFunction<Command> attached = AttachedProcess::run;

    /** The environment seen by subcommands that read it ({@code vm ssh}: XDG_RUNTIME_DIR, HOME). */
    Map<String, String> environment = System.getenv();

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a vm command is required; see banger vm --help");
    }

    /** A client to bangerd, starting it when it is not running. */
    RpcClient connect() {
        return (connector == null ? DaemonConnector.fromEnvironment() : connector).connectOrStart();
    }
}
