package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code banger runtime install --from <tarball>}: unpacks into a temp dir beside the target,
 * refuses anything that is not a well-formed bundle (entries outside the bundle, links or devices,
 * files the manifest does not list, any sum that does not match), and only then moves each artifact
 * into place with an atomic rename and writes the manifest last. A refused tarball leaves the
 * target exactly as it was. Other files in the target (an installed prefix keeps banger's jars in
 * {@code lib/banger/java}) are left alone. Not thread-safe per target.
 */
public final class BundleInstaller {
    private final HostCommands host;

    public BundleInstaller(HostCommands host) {
        this.host = host;
    }

    public BundleManifest install(Path tarball, Path target) {
        if (!Files.isRegularFile(tarball)) {
            throw new RuntimeBundleException(ErrorKind.NOT_FOUND, "no runtime bundle tarball at " + tarball
                    + "; make one with `banger runtime package`");
        }
        Path root = target.toAbsolutePath().normalize();
        Path staging = RuntimeBootstrap.tempDir(root.getParent(), ".banger-runtime-install-");
        try {
            checkEntries(tarball, tar("list " + tarball, "-tzf", tarball.toString()));
            tar("unpack " + tarball, "-xzf", tarball.toString(), "-C", staging.toString(), "--no-same-owner");
            BundleManifest manifest = verify(tarball, staging);
            Files.createDirectories(root);
            Set<String> keep = manifest.artifacts().stream().map(BundleManifest.Entry::path).collect(Collectors.toSet());
            var previous = BundleManifest.readIfPresent(root);
            for (BundleManifest.Entry entry : manifest.artifacts()) {
                Path dest = BundlePaths.resolve(root, entry.path());
                Files.createDirectories(dest.getParent());
                Files.move(staging.resolve(entry.path()), dest, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(staging.resolve(BundlePaths.MANIFEST), root.resolve(BundlePaths.MANIFEST),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (previous.isPresent()) {
                for (BundleManifest.Entry old : previous.get().artifacts()) {
                    if (!keep.contains(old.path())) {
                        Files.deleteIfExists(BundlePaths.resolve(root, old.path()));
                    }
                }
            }
            return manifest;
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot install the runtime bundle into " + root
                    + ": " + e.getMessage(), e);
        } finally {
            RuntimeBootstrap.deleteTree(staging);
        }
    }

    private String tar(String purpose, String... args) {
        List<String> argv = new ArrayList<>(List.of("tar"));
        argv.addAll(List.of(args));
        try {
            return host.run(Command.of(argv).withTimeout(Duration.ofMinutes(5))).stdout();
        } catch (CommandFailedException e) {
            throw new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "cannot " + purpose
                    + " (is it a banger-runtime-*.tar.gz?): " + e.getMessage(), e);
        }
    }

    /** Every tar entry must stay inside the bundle, before anything is unpacked. */
    static void checkEntries(Path tarball, String listing) {
        for (String line : listing.split("\n")) {
            String name = line.strip();
            if (name.isEmpty()) {
                continue;
            }
            String relative = name.startsWith("./") ? name.substring(2) : name;
            relative = relative.endsWith("/") ? relative.substring(0, relative.length() - 1) : relative;
            if (relative.isEmpty() || relative.equals(BundlePaths.MANIFEST)) {
                continue;
            }
            if (!BundlePaths.isSafeRelative(relative)) {
                throw refused(tarball, "it holds the entry '" + name + "', which would land outside the bundle");
            }
        }
    }

    private static BundleManifest verify(Path tarball, Path staging) throws IOException {
        if (!Files.isRegularFile(staging.resolve(BundlePaths.MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
            throw refused(tarball, "it has no manifest.json");
        }
        BundleManifest manifest;
        try {
            manifest = BundleManifest.read(staging);
        } catch (RuntimeBundleException e) {
            throw refused(tarball, "its manifest is unusable (" + e.getMessage() + ")");
        }
        Set<Path> listed = manifest.artifacts().stream().map(e -> staging.resolve(e.path())).collect(Collectors.toSet());
        listed.add(staging.resolve(BundlePaths.MANIFEST));
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.toList()) {
                if (Files.isSymbolicLink(p) || !(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
                    throw refused(tarball, "it holds " + staging.relativize(p) + ", which is not a plain file");
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !listed.contains(p)) {
                    throw refused(tarball, "it holds " + staging.relativize(p) + ", which its manifest does not list");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (BundleManifest.Entry entry : manifest.artifacts()) {
            Path file = staging.resolve(entry.path());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(entry.name() + " is missing");
                continue;
            }
            String actual = Sha256.of(file);
            if (!actual.equals(entry.sha256())) {
                problems.add(entry.name() + " has sha256 " + actual + ", expected " + entry.sha256());
            }
        }
        if (!problems.isEmpty()) {
            throw refused(tarball, String.join("; ", problems));
        }
        return manifest;
    }

    private static RuntimeBundleException refused(Path tarball, String why) {
        return new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "refusing to install " + tarball + ": " + why
                + ". Nothing was changed; get an intact tarball (`banger runtime package` on a good bundle)");
    }
}
