package dev.banger.image;

import static dev.banger.image.BuildFiles.mkdirs;

import dev.banger.config.ConfigKeys;
import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import dev.banger.model.StageRunner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Builds experimental Void Linux images next to the Debian default: the repository and
 * {@code xbps-install} are checked first (seconds, naming the config key that fixes a failure),
 * then {@code xbps-install} bootstraps the root from the one configured repository (downloads
 * cached under {@code $BANGER_CACHE_DIR/xbps}), a generic initramfs is made by dracut inside it,
 * the shared customisation runs with runit services (and, for the dev profile, pinned mise
 * installing opencode), and the image's own Void kernel, initramfs and modules are staged beside
 * the rootfs and work seed by the same {@link BuildTail} as the Debian builder's. Thread-safe: concurrent builds use
 * different directories; the download cache only gains files.
 */
public final class VoidImageBuilder implements ImageBuilder {
    /** Void is rolling; the manifest records the repository branch it was built from. */
    public static final String DEFAULT_RELEASE = "current";
    static final List<String> STAGES = Stream.concat(Stream.of("repository", "xbps", "initramfs"), BuildTail.STAGES.stream()).toList();
    static final Duration REPOSITORY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration XBPS_TIMEOUT = Duration.ofMinutes(30);

    private final HostCommands host;
    private final Supplier<BuilderInputs> inputsSource;
    private final Supplier<URI> repository;
    private final Supplier<XbpsTool> xbps;
    private final Clock clock;

    /**
     * @param inputs     asked at the start of each build, like the Debian builder's
     * @param repository the Void repository, e.g. {@link VoidRepository#choose}; asked at the start of each build
     * @param xbps       the host's {@code xbps-install}, e.g. {@link XbpsTool#locate}; asked at the start of each build
     */
    public VoidImageBuilder(HostCommands host, Supplier<BuilderInputs> inputs, Supplier<URI> repository,
            Supplier<XbpsTool> xbps, Clock clock) {
        this.host = host;
        this.inputsSource = inputs;
        this.repository = repository;
        this.xbps = xbps;
        this.clock = clock;
    }

    @Override
    public Distro distro() {
        return Distro.VOID;
    }

    @Override
    public List<String> stages() {
        return STAGES;
    }

    @Override
    public BuiltImage build(ImageBuildRequest request, Path buildDir, StageRunner stages) {
        record Source(URI repository, XbpsTool xbps) {}
        Source source = stages.call("repository", () -> {
            XbpsTool tool = xbps.get();
            URI repo = repository.get();
            VoidRepository.requireReachable(repo, REPOSITORY_TIMEOUT);
            return new Source(repo, tool);
        });
        BuilderInputs inputs = inputsSource.get();
        List<String> packages = request.packages().orElseGet(() -> PackageList.bundled(Distro.VOID).forProfile(request.profile()));
        CustomisationPlan plan = GuestCustomisation.plan(inputs.customisation(Distro.VOID, request.profile()));
        Path treeDir = buildDir.resolve("tree");
        Path out = buildDir.resolve("out");
        GuestTree tree = new GuestTree(treeDir);
        Customiser customiser = new Customiser(host);
        mkdirs(out);

        stages.run("xbps", () -> {
            Path cache = inputs.cacheDir().resolve("xbps");
            mkdirs(cache);
            mkdirs(treeDir.resolve("dev"));
            XbpsPlan.deviceNodes(treeDir).forEach(argv -> host.run(Command.of(argv)));
            source.xbps().keysDir().ifPresent(keys -> copyKeys(keys, tree));
            try {
                host.run(Command.of(XbpsPlan.argv(source.xbps().program(), source.repository(), cache, treeDir, packages))
                        .withEnv(XbpsPlan.env())
                        .withTimeout(XBPS_TIMEOUT));
            } catch (CommandFailedException e) {
                throw ImageException.precondition("xbps-install from the Void repository " + source.repository()
                        + " (config " + ConfigKeys.IMAGE_VOID_REPOSITORY + ") failed; check the repository and the package"
                        + " names in config/packages.void: " + e.getMessage());
            }
        });
        String version = stages.call("initramfs", () -> {
            String kernel = KernelFiles.version(treeDir.resolve("boot"));
            tree.mkdir(new GuestDirectory("/etc/dracut.conf.d", 0755));
            tree.write(new GuestFile(VoidSystemFiles.DRACUT_CONF, 0644, VoidSystemFiles.dracutConf()));
            customiser.runInside(tree, List.of(VoidSystemFiles.dracutArgv(kernel)), Optional.empty());
            return kernel;
        });
        Runnable voidEdits = () -> {
            tree.write(new GuestFile(VoidSystemFiles.SSHD_CONFIG, 0644,
                    VoidSystemFiles.sshdConfigWithDropIns(read(tree, VoidSystemFiles.SSHD_CONFIG))));
            tree.write(new GuestFile(VoidSystemFiles.PASSWD, 0644,
                    VoidSystemFiles.passwdWithRootShell(read(tree, VoidSystemFiles.PASSWD), VoidSystemFiles.ROOT_SHELL)));
        };
        return new BuildTail(host, clock).finish(new BuildTail.Build(request, Distro.VOID, packages, plan, inputs, buildDir),
                stages, voidEdits, kernel -> {
                    if (!kernel.version().equals(version)) {
                        throw ImageException.precondition("the Void root's kernel changed from " + version + " to "
                                + kernel.version() + " during the build");
                    }
                });
    }

    /** The repository keys of the host's xbps installation become the new root's trusted keys. */
    private static void copyKeys(Path keys, GuestTree tree) {
        tree.mkdir(new GuestDirectory(XbpsPlan.KEYS_DIR, 0755));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(keys, "*.plist")) {
            for (Path key : files) {
                Files.copy(key, tree.resolve(XbpsPlan.KEYS_DIR + "/" + key.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw ImageException.io("cannot copy the xbps repository keys from " + keys + ": " + e.getMessage(), e);
        }
    }

    private static String read(GuestTree tree, String guestPath) {
        try {
            return Files.readString(tree.resolve(guestPath));
        } catch (IOException e) {
            throw ImageException.precondition("the Void root has no readable " + guestPath + " after xbps-install: " + e.getMessage());
        }
    }
}
