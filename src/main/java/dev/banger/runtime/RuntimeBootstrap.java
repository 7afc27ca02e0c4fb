package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Lays out a runtime bundle from a {@link BundleSpec}: downloads or copies pinned artifacts, stages
 * the kernel family through a {@link KernelStager}, copies the agent from the build and generates
 * the SSH keypair once. Each finished artifact is written into {@code manifest.json} right away (file
 * first, via temp file and atomic rename, then the manifest), so an interrupted run leaves a
 * consistent, partial bundle that a rerun completes. An optional artifact that cannot be had (no
 * network, not in the cache of an offline run, no pin) becomes a warning, or is kept quietly when a
 * local file installed earlier is still there; a required one fails the run naming what to do. A
 * wrong sum, or a spec that does not fit its pinned bytes, fails the run even for an optional
 * artifact. Not thread-safe: one run at a time per target directory.
 */
public final class RuntimeBootstrap {
    private final HostCommands host;
    private final ArtifactFetcher fetcher;
    private final Supplier<KernelStager> kernelStager;
    private final Optional<Path> agentBuild;

    /**
     * @param agentBuild the agent made by {@code make build} (build/dist/agent/banger-agent in a checkout)
     */
    public RuntimeBootstrap(HostCommands host, ArtifactFetcher fetcher, Supplier<KernelStager> kernelStager,
                            Optional<Path> agentBuild) {
        this.host = host;
        this.fetcher = fetcher;
        this.kernelStager = kernelStager;
        this.agentBuild = agentBuild;
    }

    /**
     * What a run did.
     *
     * @param warnings one line per optional artifact left out, saying how to supply it
     */
    public record Result(Path root, BundleManifest manifest, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /** Brings the bundle at {@code target} up to {@code spec}; {@code progress} gets one line per artifact. */
    public Result run(BundleSpec spec, Path target, Consumer<String> progress) {
        Path root = target.toAbsolutePath().normalize();
        BundleManifest manifest = BundleManifest.readIfPresent(root)
                .map(m -> new BundleManifest(spec.version(), Instant.now().toString(), m.artifacts()))
                .orElseGet(() -> new BundleManifest(spec.version(), Instant.now().toString(), List.of()));
        List<String> warnings = new ArrayList<>();
        KernelStager.StagedKernel[] staged = new KernelStager.StagedKernel[1];
        for (ArtifactSpec artifact : spec.artifacts()) {
            Path dest = BundlePaths.resolve(root, artifact.path());
            Optional<BundleManifest.Entry> existing = manifest.entry(artifact.name());
            BundleManifest.Entry entry;
            try {
                entry = switch (artifact.source()) {
                    case ArtifactSource.Http http when !artifact.pinned() -> throw new RuntimeBundleException(
                            ErrorKind.PRECONDITION_FAILED, "its download " + http.display() + " has no pinned sha256"
                            + " in the bundle spec, so it was not fetched");
                    case ArtifactSource.Http http -> fetched(artifact, dest, existing);
                    case ArtifactSource.LocalFile local -> fetched(artifact, dest, existing);
                    case ArtifactSource.Recipe recipe -> recipe(artifact, recipe, dest, existing, staged);
                };
            } catch (RuntimeBundleException e) {
                if (!artifact.optional() || neverDowngraded(e)) {
                    throw e;
                }
                unavailable(artifact, existing.filter(earlier -> intact(earlier, dest)), e, progress, warnings);
                continue;
            }
            manifest = manifest.with(entry);
            manifest.write(root);
            progress.accept(String.format("%-14s %s", artifact.name(), describe(entry, existing)));
        }
        manifest.write(root);
        return new Result(root, manifest, warnings);
    }

    /**
     * Reports an optional artifact this run could not have. One installed earlier from a local file
     * ({@code --firecracker PATH}) and still intact is the user's choice and is kept quietly; one kept
     * from an older source is a warning that it is stale; none at all is a warning saying how to get it.
     */
    private static void unavailable(ArtifactSpec artifact, Optional<BundleManifest.Entry> kept,
                                    RuntimeBundleException why, Consumer<String> progress, List<String> warnings) {
        if (kept.isPresent() && kept.get().source().startsWith("file:")) {
            progress.accept(String.format("%-14s %s  from %s", artifact.name(), describe(kept.get(), kept),
                    kept.get().source()));
        } else if (kept.isPresent()) {
            warnings.add(artifact.name() + " is not updated: " + why.getMessage() + ". The bundle keeps "
                    + kept.get().path() + " from " + kept.get().source());
        } else {
            warnings.add(artifact.name() + " is missing: " + why.getMessage() + ". " + vmmHint(artifact));
        }
    }

    private static String describe(BundleManifest.Entry entry, Optional<BundleManifest.Entry> before) {
        String what = before.isPresent() && before.get().sha256().equals(entry.sha256()) ? "kept" : "installed";
        return what + (entry.version().isEmpty() ? "" : " " + entry.version()) + "  " + entry.path()
                + "  sha256 " + entry.sha256();
    }

    /**
     * Failures that retrying cannot fix, so not even an optional artifact turns them into a warning:
     * bytes with the wrong sum (tampered or corrupted) and a spec that does not fit its pinned bytes.
     */
    private static boolean neverDowngraded(RuntimeBundleException e) {
        return e instanceof ChecksumMismatchException || e.kind() == ErrorKind.INVALID_ARGUMENT;
    }

    private static boolean intact(BundleManifest.Entry entry, Path dest) {
        return Files.isRegularFile(dest) && Sha256.of(dest).equals(entry.sha256());
    }

    private static String vmmHint(ArtifactSpec artifact) {
        if (!RuntimeBundle.isVmmBinary(artifact.name())) {
            return "It is optional; the bundle works without it.";
        }
        return "The QEMU backend works without it. To use Firecracker, get the release binaries onto this host"
                + " and run `banger runtime bootstrap --firecracker PATH --jailer PATH` (or set [firecracker] binary"
                + " and jailer in config/runtime-bundle.toml)";
    }

    private BundleManifest.Entry fetched(ArtifactSpec artifact, Path dest, Optional<BundleManifest.Entry> existing) {
        // A pinned source already installed from the same bytes needs neither network nor copy.
        if (artifact.pinned() && existing.isPresent() && existing.get().sourceSha256().equals(artifact.sha256())
                && (artifact.memberSha256().isEmpty() || existing.get().sha256().equals(artifact.memberSha256()))
                && intact(existing.get(), dest)) {
            return existing.get();
        }
        ArtifactFetcher.Fetched fetched = fetcher.fetch(artifact);
        if (artifact.member().isEmpty()) {
            return install(artifact, fetched.file(), dest, artifact.version(), fetched.sha256());
        }
        Path unpack = tempDir(dest.getParent(), ".unpack-");
        try {
            Path member = new ArchiveMember(host).extract(artifact, fetched.file(), unpack);
            return install(artifact, member, dest, artifact.version(), fetched.sha256());
        } finally {
            deleteTree(unpack);
        }
    }

    private BundleManifest.Entry recipe(ArtifactSpec artifact, ArtifactSource.Recipe recipe, Path dest,
                                        Optional<BundleManifest.Entry> existing, KernelStager.StagedKernel[] staged) {
        return switch (recipe.kind() + ":" + recipe.name()) {
            case "build:agent" -> {
                Path agent = agentBuild.filter(Files::isRegularFile).orElseThrow(() -> new RuntimeBundleException(
                        ErrorKind.PRECONDITION_FAILED, "artifact '" + artifact.name() + "': the guest agent is not built"
                        + agentBuild.map(p -> " (no " + p + ")").orElse("") + "; run `make build` first"));
                yield install(artifact, agent, dest, artifact.version(), Sha256.of(agent));
            }
            case "generate:ssh-key" -> sshKey(artifact, recipe, dest, existing);
            case "stage:debian-kernel" -> {
                if (existing.isPresent() && existing.get().source().equals(recipe.display()) && Files.isRegularFile(dest)
                        && Sha256.of(dest).equals(existing.get().sha256())) {
                    yield existing.get();
                }
                if (staged[0] == null) {
                    staged[0] = kernelStager.get().stage();
                }
                KernelStager.StagedKernel kernel = staged[0];
                Path file = kernel.output(recipe.output()).orElseThrow(() -> new RuntimeBundleException(
                        ErrorKind.INVALID_ARGUMENT, "artifact '" + artifact.name() + "': stage:debian-kernel has no output '"
                        + recipe.output() + "'; use one of vmlinux, bzimage, initrd, modules"));
                BundleManifest.Entry entry = install(artifact, file, dest, kernel.release(), kernel.sourceSha256());
                yield new BundleManifest.Entry(entry.name(), entry.version(), entry.path(), entry.sha256(),
                        recipe.display(), kernel.sourceSha256());
            }
            default -> throw new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "artifact '" + artifact.name()
                    + "' uses the unknown recipe " + recipe.display()
                    + "; known: build:agent, generate:ssh-key/<private|public>, stage:debian-kernel/<output>");
        };
    }

    /** Both halves come from one ssh-keygen run; an existing key is kept so guests keep trusting it. */
    private BundleManifest.Entry sshKey(ArtifactSpec artifact, ArtifactSource.Recipe recipe, Path dest,
                                        Optional<BundleManifest.Entry> existing) {
        boolean isPublic = recipe.output().equals("public");
        if (!isPublic && !recipe.output().equals("private")) {
            throw new RuntimeBundleException(ErrorKind.INVALID_ARGUMENT, "artifact '" + artifact.name()
                    + "': generate:ssh-key needs /private or /public, got '" + recipe.output() + "'");
        }
        Path privateKey = isPublic ? Path.of(dest.toString().replaceFirst("\\.pub$", "")) : dest;
        Path publicKey = Path.of(privateKey + ".pub");
        if (!Files.isRegularFile(privateKey) || !Files.isRegularFile(publicKey)) {
            Path work = tempDir(dest.getParent(), ".ssh-keygen-");
            try {
                Path key = work.resolve("id_ed25519");
                runTool(artifact, Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "banger-runtime",
                        "-f", key.toString()), "generate the SSH keypair");
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
                Files.move(key, privateKey, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.move(Path.of(key + ".pub"), publicKey, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot place the SSH keypair at " + privateKey
                        + ": " + e.getMessage(), e);
            } finally {
                deleteTree(work);
            }
        }
        if (!isPublic) {
            setMode(dest, artifact.mode().isEmpty() ? "0600" : artifact.mode());
        }
        String sum = Sha256.of(dest);
        return new BundleManifest.Entry(artifact.name(), artifact.version(),
                artifact.path(), sum, artifact.source().display(), "");
    }

    /** Copies {@code source} to {@code dest} through a temp file in the same directory and an atomic rename. */
    private BundleManifest.Entry install(ArtifactSpec artifact, Path source, Path dest, String version, String sourceSha) {
        try {
            Files.createDirectories(dest.getParent());
            Path tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName(), ".tmp");
            try {
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
                setMode(tmp, artifact.mode().isEmpty() ? (artifact.executable() ? "0755" : "0644") : artifact.mode());
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "artifact '" + artifact.name() + "': cannot write "
                    + dest + ": " + e.getMessage(), e);
        }
        return new BundleManifest.Entry(artifact.name(), version, artifact.path(), Sha256.of(dest),
                artifact.source().display(), sourceSha);
    }

    private void runTool(ArtifactSpec artifact, Command command, String purpose) {
        try {
            host.run(command.withTimeout(Duration.ofMinutes(5)));
        } catch (CommandFailedException e) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "artifact '" + artifact.name()
                    + "': cannot " + purpose + ": " + e.getMessage(), e);
        }
    }

    static void setMode(Path file, String octal) {
        int bits = Integer.parseInt(octal, 8);
        StringBuilder rwx = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int b = (bits >> shift) & 7;
            rwx.append((b & 4) != 0 ? 'r' : '-').append((b & 2) != 0 ? 'w' : '-').append((b & 1) != 0 ? 'x' : '-');
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(rwx.toString()));
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot chmod " + octal + " " + file + ": " + e.getMessage(), e);
        }
    }

    static Path tempDir(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot create a temp dir in " + parent + ": "
                    + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // Leftover temp dirs start with a dot and are never read as bundle content.
        }
    }
}
