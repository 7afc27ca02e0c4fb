package dev.banger.cli;

import dev.banger.model.Deadline;
import dev.banger.model.ErrorKind;
import dev.banger.model.Image;
import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.rpc.RpcClient;
import dev.banger.rpc.RpcException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The create benchmark's first step with {@code --compare-cold}: the golden snapshot of the shape
 * it measures is made (again) before any create, so that no measured create waits for its making.
 * Not thread-safe.
 */
final class BenchSnapshot {
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Duration CONFLICT_POLL = Duration.ofSeconds(1);

    private BenchSnapshot() {}

    /**
     * Makes the snapshot of {@code settings}' image and size, its stages shown on {@code progress}.
     *
     * @return false when the daemon cannot snapshot that image (precondition-failed: the backend
     *         saves none, or the image is too old); the benchmark then measures only cold boots
     * @throws CreateBenchmark.BenchmarkException when making it failed
     */
    static boolean make(Supplier<RpcClient> connect, CreateBenchmark.Settings settings, PrintWriter progress) {
        try (RpcClient client = connect.get()) {
            String image = settings.image() != null ? settings.image() : defaultImage(client);
            progress.printf(Locale.ROOT, "snapshot: making the snapshot of image '%s'%s before measuring, so that no create waits"
                    + " for its making%n", image, size(settings));
            progress.flush();
            Deadline end = Deadline.after(ImageSnapshots.DEADLINE);
            boolean toldOfConflict = false;
            while (true) {
                try {
                    Operation made = ImageSnapshots.make(client, ImageSnapshots.params(image, settings.vcpus(), settings.memoryMib()),
                            progress);
                    if (made.state() != OperationState.SUCCEEDED) {
                        throw new CreateBenchmark.BenchmarkException("making the snapshot of image '" + image + "' failed: "
                                + Objects.requireNonNullElse(made.error(), "no reason recorded")
                                + "; try it alone with: banger image snapshot " + image);
                    }
                    progress.printf(Locale.ROOT, "snapshot: saved in %s%n",
                            OperationProgress.millis(Duration.between(made.startedAt(), made.endedAt())));
                    return true;
                } catch (RpcException e) {
                    if (e.kind() == ErrorKind.PRECONDITION_FAILED) {
                        progress.printf(Locale.ROOT, "snapshot: image '%s' cannot be snapshotted here (%s); measuring only the"
                                + " cold path%n", image, e.getMessage());
                        return false;
                    }
                    if (e.kind() != ErrorKind.CONFLICT || end.expired()) {
                        throw e;
                    }
                    if (!toldOfConflict) {
                        progress.println("snapshot: one of this shape is being made already; waiting for it to end");
                        toldOfConflict = true;
                    }
                    pause(end);
                } finally {
                    progress.flush();
                }
            }
        }
    }

    private static String defaultImage(RpcClient client) {
        return client.call("image.list", null, ImageListCommand.ImageList.class, CALL).images().stream()
                .filter(Image::defaultImage).map(Image::name).findFirst()
                .orElseThrow(() -> new CreateBenchmark.BenchmarkException(
                        "there is no default image to snapshot; build one with banger image build, or name one with --image"));
    }

    private static String size(CreateBenchmark.Settings settings) {
        String vcpus = settings.vcpus() == null ? "" : settings.vcpus() + " vCPU";
        String memory = settings.memoryMib() == null ? "" : settings.memoryMib() + " MiB";
        String both = vcpus.isEmpty() || memory.isEmpty() ? vcpus + memory : vcpus + ", " + memory;
        return both.isEmpty() ? " (the config's size)" : " (" + both + ")";
    }

    private static void pause(Deadline end) {
        try {
            end.sleep(CONFLICT_POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CreateBenchmark.BenchmarkException("interrupted while waiting for the snapshot to be made");
        }
    }
}
