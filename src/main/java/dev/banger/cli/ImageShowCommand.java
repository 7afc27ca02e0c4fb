package dev.banger.cli;

import dev.banger.model.Image;
import dev.banger.model.ImageDetails;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code banger image show NAME}: files, status, the VMs made from it, its golden snapshots and its manifest. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one image.")
final class ImageShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImageCommand imageCommand;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        return DaemonCall.print(spec.commandLine().getOut(), output, imageCommand::connect, "image.show",
                Map.of("name", name), ImageDetails.class, Duration.ofSeconds(30), ImageShowCommand::render);
    }

    private static void render(Printer printer, ImageDetails details) {
        Image image = details.image();
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"name", image.name()});
        fields.add(new String[] {"distro", image.distro()});
        fields.add(new String[] {"status", image.status().wireName()});
        fields.add(new String[] {"default", image.defaultImage() ? "yes" : "no"});
        fields.add(new String[] {"managed", image.managed() ? "yes" : "no"});
        fields.add(new String[] {"created", image.createdAt().toString()});
        fields.add(new String[] {"kernel", text(image.kernel())});
        fields.add(new String[] {"initrd", text(image.initrd())});
        fields.add(new String[] {"modules", text(image.modules())});
        fields.add(new String[] {"rootfs", text(image.rootfs())});
        fields.add(new String[] {"work seed", text(image.workSeed())});
        fields.add(new String[] {"fingerprint", image.workSeedFingerprint() == null ? "-" : image.workSeedFingerprint()});
        fields.add(new String[] {"vms", details.vms().isEmpty() ? "-" : String.join(", ", details.vms())});
        printer.fields(fields);
        printer.line("snapshots:");
        if (details.snapshots().isEmpty()) {
            printer.line("  none");
        }
        ImageSnapshots.lines(details.snapshots()).forEach(line -> printer.line("  " + line));
        printer.line("manifest:");
        printer.line(details.manifest());
    }

    private static String text(Path path) {
        return path == null ? "-" : path.toString();
    }
}
