package dev.banger.cli;

import dev.banger.model.Image;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.Operation;
import dev.banger.rpc.RpcClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code banger image snapshot NAME}: makes (or makes again) the golden snapshot of one shape of
 * an image, showing each stage live; with {@code --delete}, removes the snapshots that match.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Boot a guest of the image to ready and save it; creates of that shape then restore it instead of booting.",
            "With --delete, remove the image's snapshots (all of them, or those of the --vcpus/--memory given)."})
final class ImageSnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImageCommand image;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--vcpus", paramLabel = "N", description = "Virtual CPUs of the shape (default: from the config).")
    Integer vcpus;

    @Option(names = "--memory", paramLabel = "MiB", description = "Guest memory of the shape in MiB (default: from the config).")
    Integer memoryMib;

    @Option(names = "--delete", description = "Delete the matching snapshots instead of making one.")
    boolean delete;

    /** What {@code image.snapshot.delete} answers. */
    record Deleted(String image, List<ImageSnapshot> deleted) {}

    @Override
    public Integer call() {
        if (!Image.isValidName(name)) {
            throw new ParameterException(spec.commandLine(), "'" + name + "' is not a valid image name");
        }
        VmView.requirePositive(spec, "--vcpus", vcpus);
        VmView.requirePositive(spec, "--memory", memoryMib);
        Map<String, Object> params = ImageSnapshots.params(name, vcpus, memoryMib);
        Printer printer = new Printer(spec.commandLine().getOut());
        try (RpcClient client = image.connect()) {
            if (delete) {
                return delete(client, params, printer);
            }
            PrintWriter progress = output.json ? null : spec.commandLine().getOut();
            Operation finished = ImageSnapshots.make(client, params, progress);
            if (output.json) {
                printer.json(finished);
            }
            OperationProgress.requireSucceeded(finished);
            if (!output.json) {
                printer.line("saved a snapshot of image '" + name + "'" + given() + " in "
                        + OperationProgress.millis(Duration.between(finished.startedAt(), finished.endedAt()))
                        + "; creates of its shape now restore it (see banger image show " + name + ")");
            }
        }
        return ExitCodes.OK;
    }

    private int delete(RpcClient client, Map<String, Object> params, Printer printer) {
        Deleted deleted = client.call(ImageSnapshots.DELETE, params, Deleted.class, Duration.ofMinutes(1));
        if (output.json) {
            printer.json(deleted);
        } else if (deleted.deleted().isEmpty()) {
            printer.line("no snapshot of " + name + given() + " matched");
        } else {
            deleted.deleted().forEach(s -> printer.line("deleted the snapshot of " + name + ": " + ImageSnapshots.shape(s)
                    + ", " + ImageSnapshots.size(s.sizeBytes()) + " freed"));
        }
        return ExitCodes.OK;
    }

    /** The sizes given on the command line, as a suffix: {@code  (--vcpus 2)}. */
    private String given() {
        List<String> options = new ArrayList<>();
        if (vcpus != null) {
            options.add("--vcpus " + vcpus);
        }
        if (memoryMib != null) {
            options.add("--memory " + memoryMib);
        }
        return options.isEmpty() ? "" : " (" + String.join(" ", options) + ")";
    }
}
