package dev.banger.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code banger image delete NAME}: unregisters the image and removes its files; refused while VMs use it. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete an image (refused while VMs use it).")
final class ImageDeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    record Deleted(String name) {}

    @Override
    public Integer call() {
        return DaemonCall.print(spec.commandLine().getOut(), output, DaemonCall::fromEnvironment, "image.delete",
                Map.of("name", name), Deleted.class, Duration.ofMinutes(2),
                (printer, deleted) -> printer.line("deleted image '" + deleted.name() + "'"));
    }
}
