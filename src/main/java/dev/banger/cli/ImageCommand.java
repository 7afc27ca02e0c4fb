package dev.banger.cli;

import dev.banger.rpc.RpcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code banger image}: build, import and manage guest images. Also the seam through which the
 * subcommands that use {@link #connect} reach bangerd, so tests can point them at a fake daemon.
 * Not thread-safe.
 */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Build, register and manage guest images.")
final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** How to reach bangerd; null means from the environment ({@code BANGER_RUNTIME_DIR} etc.). */
    DaemonConnector connector;

    /** A client to bangerd, starting it when it is not running. */
    RpcClient connect() {
        return (connector == null ? DaemonConnector.fromEnvironment() : connector).connectOrStart();
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "an image command is required; see banger image --help");
    }
}
