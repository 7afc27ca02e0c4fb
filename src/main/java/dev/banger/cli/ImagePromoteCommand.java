package dev.banger.cli;

import dev.banger.model.Image;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code banger image promote NAME}: the default image for new VMs, and managed (banger may rebuild and heal it). */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Make an image the default for new VMs, and let banger manage (rebuild, heal) it.")
final class ImagePromoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        return DaemonCall.print(spec.commandLine().getOut(), output, DaemonCall::fromEnvironment, "image.promote",
                Map.of("name", name), Image.class, Duration.ofSeconds(30),
                (printer, image) -> printer.line("image '" + image.name() + "' is now the default and managed"));
    }
}
