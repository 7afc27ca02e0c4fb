package dev.banger.cli;

import dev.banger.rpc.RpcClient;
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
        Deleted deleted;
        try (RpcClient client = DaemonConnector.fromEnvironment().connectOrStart()) {
            deleted = client.call("image.delete", Map.of("name", name), Deleted.class, Duration.ofMinutes(2));
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(deleted);
        } else {
            printer.line("deleted image '" + deleted.name() + "'");
        }
        return ExitCodes.OK;
    }
}
