package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stages the kernel family offline from the host distro's kernel package (Debian): resolves the
 * versioned {@code linux-image-<ver>-cloud-amd64} behind the meta package, downloads it with apt into
 * the cache, unpacks it, takes {@code boot/vmlinuz-<ver>} as the bzImage, decompresses its payload
 * into the ELF vmlinux, tars the modules and builds a busybox initramfs ({@link Initramfs}) that can
 * mount an ext4 root on virtio-blk. Every program runs through {@link HostCommands}. Not thread-safe;
 * one run per cache directory at a time.
 */
public final class DebianKernelStager implements KernelStager {
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(10);
    private final HostCommands host;
    private final Path workRoot;
    private final BundleSpec.DebianKernelSettings settings;
    private final Path busybox;

    /**
     * @param cacheDir banger's cache ($BANGER_CACHE_DIR); the .deb and the staging tree live under {@code kernel/}
     * @param busybox  a statically linked busybox for the initramfs (Debian: busybox-static)
     */
    public DebianKernelStager(HostCommands host, Path cacheDir, BundleSpec.DebianKernelSettings settings, Path busybox) {
        this.host = host;
        this.workRoot = cacheDir.resolve("kernel");
        this.settings = settings;
        this.busybox = busybox;
    }

    @Override
    public StagedKernel stage() {
        String pkg = resolvePackage();
        String release = pkg.substring("linux-image-".length());
        Path deb = download(pkg);
        String debSha = Sha256.of(deb);
        if (!settings.debSha256().isEmpty() && !settings.debSha256().equals(debSha)) {
            deleteQuietly(deb);
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "kernel package " + deb.getFileName()
                    + " has the wrong sha256: expected " + settings.debSha256() + ", got " + debSha
                    + "; the file was deleted. Update [debian-kernel] deb_sha256 if the archive really changed");
        }
        Path tree = workRoot.resolve("tree-" + release);
        Path out = workRoot.resolve("out-" + release);
        RuntimeBootstrap.deleteTree(tree);
        RuntimeBootstrap.deleteTree(out);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot create " + out + ": " + e.getMessage(), e);
        }
        run("unpack the kernel package", Command.of("dpkg-deb", "-x", deb.toString(), tree.toString()));
        Path bzImage = tree.resolve("boot/vmlinuz-" + release);
        if (!Files.isRegularFile(bzImage)) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, deb.getFileName() + " holds no boot/vmlinuz-"
                    + release + "; is " + settings.metaPackage() + " a kernel image package?");
        }
        Path vmlinux = out.resolve("vmlinux");
        extractVmlinux(bzImage, vmlinux, out);
        Path modulesDir = tree.resolve("lib/modules/" + release);
        if (!Files.isDirectory(modulesDir)) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, deb.getFileName()
                    + " holds no lib/modules/" + release);
        }
        Path modules = out.resolve("modules.tar.gz");
        run("pack the kernel modules", Command.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0",
                "--numeric-owner", "-C", tree.toString(), "-czf", modules.toString(), "lib/modules/" + release));
        Path initrd = out.resolve("initrd.img");
        new Initramfs(host, busybox).build(modulesDir, settings.initrdModules(), out.resolve("initramfs"), initrd);
        Path bzImageOut = bzImageCopy(bzImage, out);
        RuntimeBootstrap.deleteTree(tree);
        return new StagedKernel(release, deb.getFileName().toString(), debSha, Map.of(
                VMLINUX, vmlinux, BZIMAGE, bzImageOut, INITRD, initrd, MODULES, modules));
    }

    private static Path bzImageCopy(Path bzImage, Path out) {
        try {
            return Files.copy(bzImage, out.resolve("bzImage"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot copy " + bzImage + ": " + e, e);
        }
    }

    /** {@code apt-cache depends <meta>}, after {@code apt-get update} when apt knows nothing yet. */
    String resolvePackage() {
        Optional<String> pkg = versionedDependency(aptCacheDepends(), settings.metaPackage());
        if (pkg.isEmpty()) {
            run("refresh the apt index", Command.of("apt-get", "update").withTimeout(APT_TIMEOUT));
            pkg = versionedDependency(aptCacheDepends(), settings.metaPackage());
        }
        return pkg.orElseThrow(() -> new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "apt knows no versioned"
                + " kernel behind " + settings.metaPackage() + " (apt-cache depends " + settings.metaPackage()
                + "); check the host's apt sources, or set [debian-kernel] package in config/runtime-bundle.toml"));
    }

    private String aptCacheDepends() {
        CommandResult result = exec(Command.of("apt-cache", "depends", settings.metaPackage()));
        return result.succeeded() ? result.stdout() : "";
    }

    /** The {@code linux-image-<version>} package that the meta package depends on, from apt-cache's output. */
    static Optional<String> versionedDependency(String aptCacheDependsOutput, String metaPackage) {
        Pattern depends = Pattern.compile("^\\s*\\|?Depends:\\s*<?(linux-image-[A-Za-z0-9.+~-]+?)>?\\s*$");
        for (String line : aptCacheDependsOutput.split("\n")) {
            Matcher m = depends.matcher(line);
            if (m.matches() && !m.group(1).equals(metaPackage) && Character.isDigit(m.group(1).charAt("linux-image-".length()))) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    private Path download(String pkg) {
        Path debs = workRoot.resolve("debs");
        try {
            Files.createDirectories(debs);
            Optional<Path> cached = findDeb(debs, pkg);
            if (cached.isPresent()) {
                return cached.get();
            }
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot use the cache " + debs + ": " + e.getMessage(), e);
        }
        run("download " + pkg, Command.of("apt-get", "download", pkg).withWorkDir(debs).withTimeout(APT_TIMEOUT));
        try {
            return findDeb(debs, pkg).orElseThrow(() -> new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED,
                    "apt-get download " + pkg + " left no .deb in " + debs));
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot list " + debs + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> findDeb(Path dir, String pkg) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(pkg + "_")
                    && p.getFileName().toString().endsWith(".deb")).sorted().reduce((a, b) -> b);
        }
    }

    /** Finds the payload in the bzImage, decompresses it and insists the result is an ELF file. */
    void extractVmlinux(Path bzImage, Path vmlinux, Path work) {
        new VmlinuxExtractor(host).extract(bzImage, vmlinux, work);
    }


    private CommandResult exec(Command command) {
        try {
            return host.exec(command);
        } catch (CommandFailedException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "cannot run " + command.program()
                    + ": " + e.getMessage() + "; install it with apt-get", e);
        }
    }

    private void run(String purpose, Command command) {
        try {
            host.run(command.withTimeout(command.timeout().compareTo(Command.DEFAULT_TIMEOUT) > 0
                    ? command.timeout() : Duration.ofMinutes(5)));
        } catch (CommandFailedException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "staging the kernel: cannot " + purpose
                    + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A stale .deb is re-checked on the next run anyway.
        }
    }

    /** For tests and messages: the canonical module name → relative file map of a modules tree. */
    static Map<String, String> moduleFiles(Path modulesDir) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(modulesDir.resolve("kernel"))) {
            for (Path p : walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".ko")).toList()) {
                files.put(KernelModules.canonical(p.getFileName().toString()), modulesDir.relativize(p).toString());
            }
        }
        return files;
    }
}
