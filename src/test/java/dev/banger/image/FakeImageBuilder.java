package dev.banger.image;

import dev.banger.host.ProcessHostCommands;
import dev.banger.model.StageRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A builder that makes small but real artifacts (an ELF-headed kernel, ext4 rootfs and seed made
 * with mkfs.ext4) in a fraction of a second, and can be told to fail at a stage. Records the
 * requests it was given. Public so that tests of other packages (the doctor's default-image check,
 * the daemon's first create) can build real images too.
 */
public final class FakeImageBuilder implements ImageBuilder {
    final List<ImageBuildRequest> requests = new CopyOnWriteArrayList<>();
    String failAt;
    /** When set, the tree stage waits (at most a minute) until it is counted down. */
    volatile CountDownLatch hold;

    public FakeImageBuilder() {
    }

    /** A builder whose tree stage waits until {@code hold} is counted down (bounded: a minute). */
    public static FakeImageBuilder holdingUntil(CountDownLatch hold) {
        FakeImageBuilder builder = new FakeImageBuilder();
        builder.hold = hold;
        return builder;
    }

    /** Makes the next builds fail at {@code stage} (null: succeed). */
    public void failAt(String stage) {
        failAt = stage;
    }

    /** How many builds were asked of it. */
    public int builds() {
        return requests.size();
    }
    String bashrc = "# built by the fake builder\n";

    @Override
    public Distro distro() {
        return Distro.DEBIAN;
    }

    @Override
    public List<String> stages() {
        return List.of("tree", "seal");
    }

    @Override
    public BuiltImage build(ImageBuildRequest request, Path buildDir, StageRunner stages) {
        requests.add(request);
        Path out = buildDir.resolve("out");
        Ext4Images ext4 = new Ext4Images(new ProcessHostCommands());
        stages.run("tree", () -> {
            try {
                if (hold != null && !hold.await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the fake builder was held for over a minute");
                }
                Files.createDirectories(buildDir.resolve("tree/root"));
                Files.writeString(buildDir.resolve("tree/root/.bashrc"), bashrc);
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
            failIf("tree");
        });
        return stages.call("seal", () -> {
            try {
                Files.write(out.resolve(ImageLayout.VMLINUX), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
                Files.writeString(out.resolve(ImageLayout.INITRD), "initrd");
                Files.writeString(out.resolve(ImageLayout.MODULES), "modules");
                ext4.create(buildDir.resolve("tree"), out.resolve(ImageLayout.ROOTFS), 16L << 20, "banger-root", 0755);
                WorkSeeds.Seed seed = new WorkSeeds(ext4).build(buildDir.resolve("tree/root"), out.resolve(ImageLayout.WORK_SEED));
                failIf("seal");
                ImageManifest manifest = new ImageManifest(Distro.DEBIAN, request.release(), "6.1.0-test", request.profile(),
                        request.packages().orElse(List.of("openssh-server")), seed.fingerprint(), Instant.parse("2026-12-01T00:00:00Z"), "test", true, true);
                Files.writeString(out.resolve(ImageLayout.MANIFEST), manifest.toJson());
                return new BuiltImage(out, manifest, out.resolve(ImageLayout.VMLINUX), out.resolve(ImageLayout.INITRD),
                        out.resolve(ImageLayout.MODULES), out.resolve(ImageLayout.ROOTFS), seed.file());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void failIf(String stage) {
        if (stage.equals(failAt)) {
            throw new IllegalStateException("the fake builder fails at " + stage);
        }
    }
}
