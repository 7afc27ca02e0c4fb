package dev.banger.image;

import static dev.banger.image.BuildFiles.mkdirs;

import dev.banger.model.StageRunner;
import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Builds Debian images: {@code debootstrap} (minbase, the baseline packages and the cloud kernel
 * in one run, downloads cached under {@code $BANGER_CACHE_DIR/debootstrap/<release>}), the shared
 * customisation, the kernel staged from the image itself, the work seed from the prepared
 * {@code /root}, and {@code rootfs.ext4} made with {@code mkfs.ext4 -d} (no loop mount) — the
 * last of which, from customisation on, are {@link BuildTail}'s, shared with the Void builder. The
 * mirror is the config's, else the host's own apt source for the release. Thread-safe: concurrent
 * builds use different directories (the download cache is safe to share, debootstrap locks nothing
 * but only adds files).
 */
public final class DebianImageBuilder implements ImageBuilder {
    public static final String DEFAULT_RELEASE = "bookworm";
    static final List<String> STAGES = Stream.concat(Stream.of("debootstrap", "packages"), BuildTail.STAGES.stream()).toList();
    private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(30);

    private final HostCommands host;
    private final java.util.function.Supplier<BuilderInputs> inputsSource;
    private final Function<String, URI> mirror;
    private final Clock clock;

    /**
     * @param inputs asked at the start of each build, so a runtime bundle installed after the daemon started is used
     * @param mirror the Debian mirror for a release: the configured one, or {@link AptSources#mirrorFor}
     */
    public DebianImageBuilder(HostCommands host, java.util.function.Supplier<BuilderInputs> inputs,
            Function<String, URI> mirror, Clock clock) {
        this.host = host;
        this.inputsSource = inputs;
        this.mirror = mirror;
        this.clock = clock;
    }

    @Override
    public Distro distro() {
        return Distro.DEBIAN;
    }

    @Override
    public List<String> stages() {
        return STAGES;
    }

    @Override
    public BuiltImage build(ImageBuildRequest request, Path buildDir, StageRunner stages) {
        BuilderInputs inputs = inputsSource.get();
        List<String> packages = request.packages().orElseGet(() -> PackageList.bundled(Distro.DEBIAN).forProfile(request.profile()));
        CustomisationPlan plan = GuestCustomisation.plan(inputs.customisation(Distro.DEBIAN, request.profile()));
        Path treeDir = buildDir.resolve("tree");
        Path out = buildDir.resolve("out");
        GuestTree tree = new GuestTree(treeDir);
        Customiser customiser = new Customiser(host);
        mkdirs(out);

        // debootstrap's own resolver installs the baseline reliably; large extras (node and npm pull
        // in hundreds of packages) can fail its configure ordering, so apt installs those.
        List<String> baseline = PackageList.bundled(Distro.DEBIAN).forProfile(Profile.MINIMAL);
        List<String> bootstrapped = packages.stream().filter(baseline::contains).toList();
        List<String> extras = packages.stream().filter(p -> !baseline.contains(p)).toList();
        Path cache = inputs.cacheDir().resolve("debootstrap").resolve(request.release());
        stages.run("debootstrap", () -> {
            URI source = mirror.apply(request.release());
            mkdirs(cache);
            try {
                host.run(Command.of(DebootstrapPlan.argv(request.release(), source, bootstrapped, cache, treeDir))
                        .withEnv(java.util.Map.of("DEBIAN_FRONTEND", "noninteractive"))
                        .withTimeout(DEBOOTSTRAP_TIMEOUT));
            } catch (CommandFailedException e) {
                throw ImageException.precondition("debootstrap of Debian " + request.release() + " from " + source
                        + " failed; check the mirror (config [image] debian_mirror, else the host's apt sources)"
                        + " and the package names in config/packages.debian: " + e.getMessage());
            }
        });
        stages.run("packages", () -> {
            if (!extras.isEmpty()) {
                List<String> install = new java.util.ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
                install.addAll(extras);
                customiser.runInside(tree, List.of(List.of("apt-get", "update", "-q"), install), Optional.of(cache));
            }
        });
        return new BuildTail(host, clock).finish(new BuildTail.Build(request, Distro.DEBIAN, packages, plan, inputs, buildDir),
                stages, () -> { }, kernel -> { });
    }
}
