package dev.banger.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code banger image rebuild-rootfs NAME}: regenerates rootfs and work seed from the image's own manifest. */
@Command(name = "rebuild-rootfs", mixinStandardHelpOptions = true,
        description = "Rebuild an image's rootfs and work seed from its manifest (same distro, release, profile, packages).")
final class ImageRebuildRootfsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "NAME", description = "The image to rebuild.")
    String name;

    @Override
    public Integer call() {
        return ImageBuildCommand.follow(spec, output, "image.rebuildRootfs.begin", Map.of("name", name),
                "rebuilt image '" + name + "'");
    }
}
