package dev.banger.image;

import static dev.banger.image.BuildFiles.delete;
import static dev.banger.image.BuildFiles.write;

import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.model.StageRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The end every image build shares once its distro has made the root in {@code <build>/tree}:
 * the shared customisation, the image's own kernel staged from the root, the work seed from its
 * {@code /root}, {@code rootfs.ext4} made with {@code mkfs.ext4 -d}, and the manifest — the stages
 * {@link #STAGES}, in that order, which the CLI shows as they run. A distro adds its own edits at
 * the start of "customise" and may check the staged kernel. Thread-safe: builds use different
 * directories.
 */
final class BuildTail {
    static final List<String> STAGES = List.of("customise", "kernel", "work-seed", "rootfs", "manifest");
    private static final String ROOTFS_LABEL = "banger-root";

    private final HostCommands host;
    private final Clock clock;

    BuildTail(HostCommands host, Clock clock) {
        this.host = host;
        this.clock = clock;
    }

    /**
     * What one build ends with.
     *
     * @param distro   whose services and manifest
     * @param packages the packages installed, for the manifest
     * @param buildDir the build's scratch directory: the root is in {@code tree}, the result goes to {@code out}
     */
    record Build(ImageBuildRequest request, Distro distro, List<String> packages, CustomisationPlan plan, BuilderInputs inputs,
            Path buildDir) {
        Path treeDir() {
            return buildDir.resolve("tree");
        }

        Path out() {
            return buildDir.resolve("out");
        }
    }

    /**
     * Runs the shared stages.
     *
     * @param distroEdits  the distro's own edits to the root, run first inside "customise"
     * @param kernelCheck  looks at the staged kernel between "kernel" and "work-seed"; throws to stop the build
     */
    BuiltImage finish(Build build, StageRunner stages, Runnable distroEdits, Consumer<KernelFiles.Staged> kernelCheck) {
        Path treeDir = build.treeDir();
        Path out = build.out();
        GuestTree tree = new GuestTree(treeDir);
        Ext4Images ext4 = new Ext4Images(host);
        Customiser customiser = new Customiser(host);
        stages.run("customise", () -> {
            distroEdits.run();
            customiser.apply(tree, build.plan(), build.distro(), build.inputs().agentBinary());
            customiser.seal(tree, build.plan());
        });
        KernelFiles.Staged kernel = stages.call("kernel", () -> new KernelFiles(host).stage(treeDir, out));
        kernelCheck.accept(kernel);
        WorkSeeds.Seed seed = stages.call("work-seed", () -> {
            Path home = build.buildDir().resolve("seed");
            host.run(Command.of("cp", "-a", "--", treeDir.resolve("root").toString(), home.toString()));
            return new WorkSeeds(ext4).build(home, out.resolve(ImageLayout.WORK_SEED));
        });
        Path rootfs = out.resolve(ImageLayout.ROOTFS);
        stages.run("rootfs", () -> {
            ext4.create(treeDir, rootfs, build.request().rootfsBytes(), ROOTFS_LABEL, 0755);
            delete(treeDir);
        });
        ImageManifest manifest = stages.call("manifest", () -> {
            ImageManifest written = new ImageManifest(build.distro(), build.request().release(), kernel.version(),
                    build.request().profile(), build.packages(), seed.fingerprint(), clock.instant(),
                    build.inputs().bangerVersion(), true, true, true, true);
            write(out.resolve(ImageLayout.MANIFEST), written.toJson());
            return written;
        });
        return new BuiltImage(out, manifest, kernel.vmlinux(), kernel.initrd(), kernel.modules(), rootfs, seed.file());
    }
}
