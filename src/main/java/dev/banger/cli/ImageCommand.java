package dev.banger.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code banger image}: build, import and manage guest images. */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Build, register and manage guest images.")
final class ImageCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "an image command is required; see banger image --help");
    }
}
