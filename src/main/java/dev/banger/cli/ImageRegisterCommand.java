package dev.banger.cli;

import dev.banger.model.Image;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code banger image register}: imports existing artifacts after the daemon has checked them. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Import an existing kernel and rootfs (and optionally initrd, modules, work seed) as an image.")
final class ImageRegisterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--name", required = true, description = "Name of the new image.")
    String name;

    @Option(names = "--kernel", required = true, description = "vmlinux or bzImage.")
    Path kernel;

    @Option(names = "--rootfs", required = true, description = "ext4 root filesystem image.")
    Path rootfs;

    @Option(names = "--initrd", description = "initramfs.")
    Path initrd;

    @Option(names = "--modules", description = "Kernel modules tarball.")
    Path modules;

    @Option(names = "--work-seed", description = "ext4 image of the prepared /root.")
    Path workSeed;

    @Override
    public Integer call() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("name", name);
        put(params, "kernel", kernel);
        put(params, "rootfs", rootfs);
        put(params, "initrd", initrd);
        put(params, "modules", modules);
        put(params, "workSeed", workSeed);
        return DaemonCall.print(spec.commandLine().getOut(), output, DaemonCall::fromEnvironment, "image.register", params,
                Image.class, Duration.ofMinutes(15),
                (printer, image) -> printer.line("registered image '" + image.name() + "' (" + image.status().wireName() + ")"));
    }

    /** Paths travel absolute: the daemon's working directory is not the caller's. */
    private static void put(Map<String, String> params, String key, Path path) {
        if (path != null) {
            params.put(key, path.toAbsolutePath().normalize().toString());
        }
    }
}
