package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.host.HostException;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds or refreshes a runtime bundle from a {@link BundleSpec}: fetches (http(s), file://) or
 * stages (recipes) every artifact, places each file with a temp-file-then-atomic-rename, and
 * records it in {@code manifest.json}. Failures are collected per artifact so one run reports
 * everything that is missing; an artifact that fails keeps its previous, still valid, entry.
 * Optional artifacts that cannot be had become warnings; sum mismatches never do. Not
 * thread-safe: one bootstrap per bundle directory at a time.
 */
public final class BundleBootstrapper {
    private final HostCommands host;
    private final ArtifactFetcher fetcher;
    private final Path cacheDir;
    private final Optional<Path> checkout;
    private final Consumer<String> progress;
    private final Map<String, Stager> stagers;

    public BundleBootstrapper(HostCommands host, ArtifactFetcher fetcher, Path cacheDir, Optional<Path> checkout,
                              Consumer<String> progress) {
        this(host, fetcher, cacheDir, checkout, progress, Map.of(
                "stage:debian-kernel", new DebianKernelStager(),
                "build:agent", new AgentStager(),
                "generate:ssh-key", new SshKeyStager()));
    }

    BundleBootstrapper(HostCommands host, ArtifactFetcher fetcher, Path cacheDir, Optional<Path> checkout,
                       Consumer<String> progress, Map<String, Stager> stagers) {
        this.host = host;
        this.fetcher = fetcher;
        this.cacheDir = cacheDir;
        this.checkout = checkout;
        this.progress = progress;
        this.stagers = Map.copyOf(stagers);
    }

    public BootstrapReport bootstrap(BundleSpec spec, Path target) {
        Path root = target.toAbsolutePath().normalize();
        Path work;
        try {
            Files.createDirectories(root);
            work = Files.createTempDirectory(root, ".staging-");
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "cannot create the runtime bundle at " + root
                    + ": " + e.getMessage() + " (run as a user who can write there, or pass --dir)", e);
        }
        BundleManifest previous;
        try {
            previous = BundleManifest.readIfPresent(root).orElse(null);
        } catch (RuntimeBundleException unreadable) {
            progress.accept("WARN ignoring the unreadable manifest in " + root + "; it will be rewritten");
            previous = null;
        }
        BundleManifest manifest = new BundleManifest(spec.version(), "",
                previous == null ? List.of() : previous.artifacts());
        List<BootstrapReport.Outcome> outcomes = new ArrayList<>();
        Map<String, Object> recipeResults = new HashMap<>();
        Map<String, ArtifactFetcher.Fetched> fetched = new HashMap<>();
        try {
            for (ArtifactSpec artifact : spec.artifacts()) {
                try {
                    Produced produced = produce(spec, artifact, root, work, recipeResults, fetched);
                    Path dest = BundlePaths.resolve(root, artifact.path());
                    place(produced.file(), dest, artifact);
                    String sum = Sha256.of(dest);
                    String version = produced.version().isEmpty() ? artifact.version() : produced.version();
                    manifest = manifest.with(new BundleManifest.Entry(artifact.name(), version, artifact.path(), sum,
                            artifact.source().display(), produced.sourceSha256()));
                    outcomes.add(new BootstrapReport.Outcome(artifact.name(), BootstrapReport.Result.INSTALLED, version,
                            dest, sum, artifact.source().display()));
                    progress.accept("ok   " + artifact.name() + " " + version + " -> " + dest);
                } catch (ChecksumMismatchException e) {
                    outcomes.add(failed(artifact, root, e.getMessage()));
                } catch (RuntimeBundleException | HostException e) {
                    outcomes.add(artifact.optional() ? missingOptional(artifact, root, e.getMessage())
                            : failed(artifact, root, e.getMessage()));
                }
            }
            new BundleManifest(spec.version(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    manifest.artifacts()).write(root);
        } finally {
            FileTrees.deleteQuietly(work);
        }
        return new BootstrapReport(root, outcomes);
    }

    private BootstrapReport.Outcome failed(ArtifactSpec artifact, Path root, String why) {
        progress.accept("FAIL " + artifact.name() + ": " + why);
        return new BootstrapReport.Outcome(artifact.name(), BootstrapReport.Result.FAILED, artifact.version(),
                root.resolve(artifact.path()), "", why);
    }

    private BootstrapReport.Outcome missingOptional(ArtifactSpec artifact, Path root, String why) {
        String message = why + ". " + artifact.name() + " is optional: the bundle works without it"
                + (isFirecracker(artifact) ? " (QEMU backend only). Supply it with `banger runtime bootstrap --"
                + artifact.name() + " /path/to/" + artifact.name() + "` or [firecracker] "
                + (artifact.name().equals(RuntimeArtifacts.JAILER) ? "jailer" : "binary") + " in the bundle spec" : "");
        progress.accept("WARN " + artifact.name() + " missing: " + message);
        return new BootstrapReport.Outcome(artifact.name(), BootstrapReport.Result.MISSING_OPTIONAL, artifact.version(),
                root.resolve(artifact.path()), "", message);
    }

    private static boolean isFirecracker(ArtifactSpec artifact) {
        return artifact.name().equals(RuntimeArtifacts.FIRECRACKER) || artifact.name().equals(RuntimeArtifacts.JAILER);
    }

    private record Produced(Path file, String version, String sourceSha256) {}

    private Produced produce(BundleSpec spec, ArtifactSpec artifact, Path root, Path work,
                             Map<String, Object> recipeResults, Map<String, ArtifactFetcher.Fetched> fetched) {
        if (artifact.source() instanceof ArtifactSource.Recipe recipe) {
            String key = recipe.kind() + ":" + recipe.name();
            Stager stager = stagers.get(key);
            if (stager == null) {
                throw new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "artifact '" + artifact.name()
                        + "' names an unknown recipe '" + key + "' (known: " + String.join(", ", stagers.keySet().stream().sorted().toList()) + ")");
            }
            // A recipe runs once per bootstrap; its failure is reported for each of its artifacts.
            Object result = recipeResults.computeIfAbsent(key, k -> {
                try {
                    Path recipeWork = Files.createDirectories(work.resolve(k.replace(':', '-')));
                    return stager.stage(new Stager.Context(host, spec, cacheDir, recipeWork, root, checkout, progress));
                } catch (RuntimeBundleException | HostException e) {
                    return e;
                } catch (IOException e) {
                    return new RuntimeBundleException(ErrorKind.INTERNAL, "cannot create a staging dir: " + e.getMessage(), e);
                }
            });
            if (result instanceof RuntimeException e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            Map<String, Stager.Staged> outputs = (Map<String, Stager.Staged>) result;
            Stager.Staged staged = outputs.get(recipe.output());
            if (staged == null) {
                throw new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "artifact '" + artifact.name() + "': recipe "
                        + key + " has no output '" + recipe.output() + "' (it has: " + String.join(", ", outputs.keySet().stream().sorted().toList()) + ")");
            }
            return new Produced(staged.file(), staged.version(), staged.sourceSha256());
        }
        ArtifactFetcher.Fetched source = fetched.get(artifact.source().display() + "#" + artifact.sha256());
        if (source == null) {
            progress.accept("fetch " + artifact.name() + " from " + artifact.source().display());
            source = fetcher.fetch(artifact);
            fetched.put(artifact.source().display() + "#" + artifact.sha256(), source);
        }
        if (artifact.member().isEmpty()) {
            return new Produced(source.file(), "", source.sha256());
        }
        return new Produced(extractMember(artifact, source.file(), work), "", source.sha256());
    }

    private Path extractMember(ArtifactSpec artifact, Path archive, Path work) {
        if (!BundlePaths.isSafeRelative(artifact.member())) {
            throw new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "artifact '" + artifact.name()
                    + "' has an unsafe member path '" + artifact.member() + "'");
        }
        Path dir = work.resolve("extract-" + artifact.name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot create " + dir + ": " + e.getMessage(), e);
        }
        host.run(Command.of("tar", "-xf", archive.toString(), "-C", dir.toString(), "--no-same-owner", artifact.member()));
        Path file = dir.resolve(artifact.member());
        if (!Files.isRegularFile(file)) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "artifact '" + artifact.name() + "': "
                    + artifact.member() + " in " + artifact.source().display() + " is not a regular file");
        }
        return file;
    }

    /** Copies into a temp file beside {@code dest}, fixes permissions, then renames over it atomically. */
    static void place(Path file, Path dest, ArtifactSpec artifact) {
        try {
            Files.createDirectories(dest.getParent());
            String mode = artifact.mode().isEmpty() ? (artifact.executable() ? "755" : "644") : artifact.mode();
            var permissions = PosixFilePermissions.fromString(rwx(Integer.parseInt(mode, 8)));
            if (file.toAbsolutePath().normalize().equals(dest.toAbsolutePath().normalize())) {
                Files.setPosixFilePermissions(dest, permissions);
                return;
            }
            Path tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName(), ".part");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                // Streams into the already-private temp file: a key is never readable by others, even briefly.
                try (var in = Files.newInputStream(file); var out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                Files.setPosixFilePermissions(tmp, permissions);
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot place " + artifact.name() + " at " + dest + ": " + e.getMessage(), e);
        }
    }

    static String rwx(int mode) {
        StringBuilder s = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }
}
