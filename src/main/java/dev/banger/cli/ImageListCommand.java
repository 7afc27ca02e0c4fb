package dev.banger.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.banger.model.Image;
import dev.banger.rpc.RpcClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code banger image list}: every image, the default marked. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List images.")
final class ImageListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    record ImageList(@JsonProperty("images") List<Image> images) {}

    @Override
    public Integer call() {
        ImageList list;
        try (RpcClient client = DaemonConnector.fromEnvironment().connectOrStart()) {
            list = client.call("image.list", null, ImageList.class, Duration.ofSeconds(30));
        }
        Printer printer = new Printer(spec.commandLine().getOut());
        if (output.json) {
            printer.json(list);
            return ExitCodes.OK;
        }
        if (list.images().isEmpty()) {
            printer.line("no images; build one with: banger image build");
            return ExitCodes.OK;
        }
        printer.table(List.of("NAME", "DISTRO", "STATUS", "DEFAULT", "MANAGED", "CREATED"), list.images().stream()
                .map(i -> List.of(i.name(), i.distro(), i.status().wireName(), i.defaultImage() ? "*" : "",
                        i.managed() ? "yes" : "no", i.createdAt().toString()))
                .toList());
        return ExitCodes.OK;
    }
}
