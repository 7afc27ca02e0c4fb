package dev.banger.image;

import dev.banger.model.StageRunner;
import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.store.ImageRepository;
import dev.banger.store.StoredJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's images: builds (through the distro's {@link ImageBuilder}) and rebuilds,
 * registration of existing artifacts, promotion, deletion, the lazy work seed of seedless images,
 * and the start-up reconciliation of the default image. Files live under
 * {@code <state>/images/<name>/} (see {@link ImageLayout}); a build or import is assembled beside
 * it and moved in only when complete, so a failure leaves neither files nor a store row behind.
 * Thread-safe: operations on one name are serialised by a per-name claim (a second build of the
 * same name is a conflict); different names proceed concurrently.
 */
public final class ImageCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCatalog.class);

    private final Path stateDir;
    private final ImageRepository images;
    private final HostCommands host;
    private final Map<Distro, ImageBuilder> builders;
    private final Clock clock;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    public ImageCatalog(Path stateDir, ImageRepository images, HostCommands host, List<ImageBuilder> builders, Clock clock) {
        this.stateDir = stateDir;
        this.images = images;
        this.host = host;
        this.clock = clock;
        Map<Distro, ImageBuilder> byDistro = new LinkedHashMap<>();
        builders.forEach(b -> byDistro.put(b.distro(), b));
        this.builders = Map.copyOf(byDistro);
    }

    /** The stages a build of {@code distro} reports, including the catalog's own first and last. */
    public List<String> buildStages(Distro distro) {
        List<String> stages = new ArrayList<>();
        stages.add("validate");
        stages.addAll(builder(distro).stages());
        stages.add("install");
        return stages;
    }

    /** Checks a new build before an operation is started for it: known distro, name free. */
    public void checkNewBuild(ImageBuildRequest request) {
        builder(request.distro());
        if (images.find(request.name()).isPresent()) {
            throw ImageException.conflict("image '" + request.name() + "' already exists; rebuild it with"
                    + " 'banger image rebuild-rootfs " + request.name() + "' or delete it first");
        }
    }

    /** Builds and registers a new image. */
    public Image build(ImageBuildRequest request, StageRunner stages) {
        return claimed(request.name(), () -> {
            stages.run("validate", () -> checkNewBuild(request));
            ImageLayout layout = ImageLayout.of(stateDir, request.name());
            BuiltImage built = buildInScratch(request, layout, stages);
            return stages.call("install", () -> {
                try {
                    moveInto(built.dir(), layout.dir());
                    return images.insert(record(request.name(), built, layout));
                } catch (RuntimeException e) {
                    deleteQuietly(layout.dir());
                    throw e;
                } finally {
                    deleteQuietly(layout.buildDir());
                }
            });
        });
    }

    /** The request that regenerates {@code name} from its own manifest (same distro, release, profile, packages, size). */
    public ImageBuildRequest rebuildRequest(String name) {
        Image image = images.get(name);
        ImageManifest manifest;
        try {
            manifest = ImageManifest.fromJson(image.manifestJson(), "the manifest of image '" + name + "'");
        } catch (ImageException e) {
            throw ImageException.precondition("image '" + name + "' was not built by banger (it has no build manifest),"
                    + " so it cannot be rebuilt; register new files under another name instead");
        }
        long size = Math.max(sizeOf(image.rootfs()), ImageBuildRequest.MIN_ROOTFS_BYTES);
        return new ImageBuildRequest(name, manifest.distro(), manifest.profile(), manifest.release(), size,
                Optional.of(manifest.packages()));
    }

    /**
     * Regenerates rootfs and work seed of an existing image from its manifest. The old files stay
     * in place until the new ones are complete; VMs must not be using the image, since their root
     * disks may be overlays on its rootfs.
     */
    public Image rebuild(ImageBuildRequest request, StageRunner stages) {
        return claimed(request.name(), () -> {
            stages.run("validate", () -> {
                images.get(request.name());
                builder(request.distro());
                List<String> users = images.users(request.name());
                if (!users.isEmpty()) {
                    throw ImageException.conflict("image '" + request.name() + "' is used by VM(s) " + String.join(", ", users)
                            + ", whose disks are made from its files; delete those VMs first, or build a new image under another name");
                }
            });
            ImageLayout layout = ImageLayout.of(stateDir, request.name());
            BuiltImage built = buildInScratch(request, layout, stages);
            return stages.call("install", () -> {
                try {
                    deleteQuietly(layout.retiredDir());
                    if (Files.exists(layout.dir())) {
                        Files.move(layout.dir(), layout.retiredDir());
                    }
                    moveInto(built.dir(), layout.dir());
                    Image stored = images.replaceArtifacts(record(request.name(), built, layout));
                    deleteQuietly(layout.retiredDir());
                    return stored;
                } catch (IOException | RuntimeException e) {
                    restore(layout);
                    throw e instanceof RuntimeException r ? r : ImageException.io("cannot install the rebuilt image: " + e, e);
                } finally {
                    deleteQuietly(layout.buildDir());
                }
            });
        });
    }

    /** Imports existing artifacts after checking them; the files are copied under the state dir. */
    public Image register(ImageRegistration registration) {
        if (!Image.isValidName(registration.name())) {
            throw ImageException.invalid("invalid image name '" + registration.name() + "': use up to 63 lowercase"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Path kernel = ImageFiles.requireFile("kernel", registration.kernel());
        ImageFiles.requireKernel(kernel);
        Path rootfs = ImageFiles.requireFile("rootfs", registration.rootfs());
        ImageFiles.requireExt4("rootfs", rootfs);
        Path initrd = registration.initrd() == null ? null : ImageFiles.requireFile("initrd", registration.initrd());
        Path modules = registration.modules() == null ? null : ImageFiles.requireFile("modules", registration.modules());
        Path seed = registration.workSeed() == null ? null : ImageFiles.requireFile("work seed", registration.workSeed());
        if (seed != null) {
            ImageFiles.requireExt4("work seed", seed);
        }
        return claimed(registration.name(), () -> {
            if (images.find(registration.name()).isPresent()) {
                throw ImageException.conflict("image '" + registration.name() + "' already exists; pick another name or delete it first");
            }
            ImageLayout layout = ImageLayout.of(stateDir, registration.name());
            Path scratch = layout.buildDir();
            try {
                deleteQuietly(scratch);
                Path out = Files.createDirectories(scratch.resolve("out"));
                copy(kernel, out.resolve(ImageLayout.VMLINUX));
                copy(rootfs, out.resolve(ImageLayout.ROOTFS));
                if (initrd != null) {
                    copy(initrd, out.resolve(ImageLayout.INITRD));
                }
                if (modules != null) {
                    copy(modules, out.resolve(ImageLayout.MODULES));
                }
                String fingerprint = null;
                if (seed != null) {
                    // Re-made from its own contents: a nested layout is repaired and the fingerprint is ours.
                    Path tree = Files.createDirectories(scratch.resolve("seed"));
                    WorkSeeds seeds = new WorkSeeds(new Ext4Images(host));
                    new Ext4Images(host).extract(seed, "/", tree);
                    GuestTree.deleteTree(tree.resolve("lost+found"));
                    fingerprint = seeds.build(tree, out.resolve(ImageLayout.WORK_SEED)).fingerprint();
                }
                Optional<ImageManifest> built = builtManifestBeside(rootfs, fingerprint);
                String manifest = built.isPresent() ? built.get().toJson() : registeredManifest(registration, fingerprint);
                String distro = built.map(m -> m.distro().id()).orElse("unknown");
                Files.writeString(out.resolve(ImageLayout.MANIFEST), manifest);
                moveInto(out, layout.dir());
                try {
                    return images.insert(new Image(registration.name(), distro, layout.file(ImageLayout.VMLINUX),
                            initrd == null ? null : layout.file(ImageLayout.INITRD),
                            modules == null ? null : layout.file(ImageLayout.MODULES),
                            layout.file(ImageLayout.ROOTFS),
                            seed == null ? null : layout.file(ImageLayout.WORK_SEED),
                            manifest, fingerprint, seed == null ? ImageStatus.NEEDS_WORK_SEED : ImageStatus.READY,
                            clock.instant(), false, false));
                } catch (RuntimeException e) {
                    deleteQuietly(layout.dir());
                    throw e;
                }
            } catch (IOException e) {
                throw ImageException.io("cannot import image '" + registration.name() + "': " + e.getMessage(), e);
            } finally {
                deleteQuietly(scratch);
            }
        });
    }

    public Image promote(String name) {
        return images.promote(name);
    }

    /** Unregisters the image and removes its files; refused with a conflict while VMs use it. */
    public void delete(String name) {
        claimed(name, () -> {
            images.get(name);
            images.delete(name);
            deleteQuietly(ImageLayout.of(stateDir, name).dir());
            return null;
        });
    }

    /**
     * Gives a seedless image its work seed, built from its rootfs's {@code /root} (the slow path
     * the first VM create of such an image takes). Returns the image as now recorded.
     */
    public Image ensureWorkSeed(String name) {
        Image image = images.get(name);
        if (image.workSeed() != null && Files.isRegularFile(image.workSeed())) {
            return image;
        }
        return claimed(name, () -> {
            ImageLayout layout = ImageLayout.of(stateDir, name);
            Path scratch = layout.buildDir();
            try {
                deleteQuietly(scratch);
                Files.createDirectories(scratch);
                Path tmpSeed = scratch.resolve(ImageLayout.WORK_SEED);
                WorkSeeds.Seed seed = new WorkSeeds(new Ext4Images(host)).buildFromRootfs(image.rootfs(), scratch, tmpSeed);
                Path target = layout.file(ImageLayout.WORK_SEED);
                Files.move(tmpSeed, target, StandardCopyOption.REPLACE_EXISTING);
                LOG.info("image {}: built its missing work seed from the rootfs ({})", name, seed.fingerprint());
                return images.updateWorkSeed(name, target, seed.fingerprint());
            } catch (IOException e) {
                throw ImageException.io("cannot build the work seed of image '" + name + "': " + e.getMessage(), e);
            } finally {
                deleteQuietly(scratch);
            }
        });
    }

    /** What start-up reconciliation found about one image. */
    public record Finding(String image, ImageStatus status, String detail) {}

    /**
     * Start-up reconciliation: leftover build and retired directories are removed, and the default
     * image ({@code defaultName} unless one was promoted) is checked: its files exist and its work
     * seed still has the fingerprint recorded at build time. Its status is corrected in the store.
     */
    public List<Finding> reconcile(String defaultName) {
        removeLeftovers();
        Optional<Image> image = images.findDefault(defaultName);
        if (image.isEmpty()) {
            return List.of(new Finding(defaultName, null, "the default image does not exist; build it with"
                    + " 'banger image build --name " + defaultName + "'"));
        }
        Finding finding = inspect(image.get());
        if (finding.status() != image.get().status()) {
            images.updateStatus(image.get().name(), finding.status());
        }
        return List.of(finding);
    }

    Finding inspect(Image image) {
        Path scratch = ImageLayout.of(stateDir, image.name()).buildDir();
        try {
            Files.createDirectories(scratch);
            ImageHealth.Verdict verdict = new ImageHealth(host).inspect(image, scratch);
            String hint = verdict.problem() == ImageHealth.Problem.WORK_SEED_MISMATCH
                    ? "; rebuild it with 'banger image rebuild-rootfs " + image.name() + "'" : "";
            return new Finding(image.name(), verdict.status(), verdict.detail() + hint);
        } catch (IOException e) {
            return new Finding(image.name(), ImageStatus.NEEDS_REBUILD, "the work seed cannot be read: " + e.getMessage());
        } finally {
            deleteQuietly(scratch);
        }
    }

    private BuiltImage buildInScratch(ImageBuildRequest request, ImageLayout layout, StageRunner stages) {
        Path scratch = layout.buildDir();
        try {
            unmountUnder(scratch);
            deleteQuietly(scratch);
            Files.createDirectories(scratch);
            return builder(request.distro()).build(request, scratch, stages);
        } catch (IOException e) {
            unmountUnder(scratch);
            deleteQuietly(scratch);
            throw ImageException.io("cannot prepare " + scratch + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            unmountUnder(scratch);
            deleteQuietly(scratch);
            throw e;
        }
    }

    private Image record(String name, BuiltImage built, ImageLayout layout) {
        return new Image(name, built.manifest().distro().id(),
                layout.file(ImageLayout.VMLINUX), layout.file(ImageLayout.INITRD), layout.file(ImageLayout.MODULES),
                layout.file(ImageLayout.ROOTFS), layout.file(ImageLayout.WORK_SEED),
                built.manifest().toJson(), built.manifest().workSeedFingerprint(), ImageStatus.READY,
                built.manifest().builtAt(), false, false);
    }

    /**
     * The build manifest lying next to a registered rootfs (files copied out of another banger's
     * images directory), when it describes exactly the registered work seed: then the image keeps
     * its distro and profile (and so the services it promises). Anything else is ignored.
     */
    private static Optional<ImageManifest> builtManifestBeside(Path rootfs, String seedFingerprint) {
        Path file = rootfs.resolveSibling(ImageLayout.MANIFEST);
        if (seedFingerprint == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ImageManifest manifest = ImageManifest.fromJson(Files.readString(file), file.toString());
            return manifest.workSeedFingerprint().equals(seedFingerprint) ? Optional.of(manifest) : Optional.empty();
        } catch (IOException | ImageException notOurs) {
            return Optional.empty();
        }
    }

    private String registeredManifest(ImageRegistration registration, String fingerprint) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("origin", "registered");
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("kernel", registration.kernel().toString());
        sources.put("rootfs", registration.rootfs().toString());
        if (registration.initrd() != null) {
            sources.put("initrd", registration.initrd().toString());
        }
        if (registration.modules() != null) {
            sources.put("modules", registration.modules().toString());
        }
        if (registration.workSeed() != null) {
            sources.put("workSeed", registration.workSeed().toString());
        }
        manifest.put("sources", sources);
        manifest.put("workSeedFingerprint", fingerprint);
        manifest.put("registeredAt", clock.instant().toString());
        manifest.put("bangerVersion", dev.banger.model.BangerVersion.get());
        try {
            return StoredJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(manifest);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ImageException.io("cannot write the manifest: " + e.getMessage(), e);
        }
    }

    private ImageBuilder builder(Distro distro) {
        ImageBuilder builder = builders.get(distro);
        if (builder == null) {
            throw ImageException.precondition("this banger has no " + distro.id() + " image builder; available: "
                    + builders.keySet().stream().map(Distro::id).toList());
        }
        return builder;
    }

    private <T> T claimed(String name, java.util.function.Supplier<T> work) {
        if (!busy.add(name)) {
            throw ImageException.conflict("image '" + name + "' is being built or changed right now; wait for that to finish");
        }
        try {
            return work.get();
        } finally {
            busy.remove(name);
        }
    }

    private void removeLeftovers() {
        Path dir = stateDir.resolve("images");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if ((name.startsWith(".build-") || name.startsWith(".old-")) && !busy.contains(name.substring(name.indexOf('-') + 1))) {
                    unmountUnder(entry);
                    deleteQuietly(entry);
                    LOG.info("removed the leftover {} of an interrupted image build", entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.toString());
        }
    }

    /** Lazily unmounts anything a crashed build left mounted below {@code dir}, deepest first, before it is deleted. */
    private void unmountUnder(Path dir) {
        List<String> mounts = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] fields = line.split(" ");
                if (fields.length > 1) {
                    String mountPoint = fields[1].replace("\\040", " ");
                    if (mountPoint.startsWith(dir.toString() + "/")) {
                        mounts.add(mountPoint);
                    }
                }
            }
        } catch (IOException e) {
            return;
        }
        mounts.sort(java.util.Comparator.reverseOrder());
        for (String mount : mounts) {
            host.exec(Command.of("umount", "--lazy", mount));
        }
    }

    private static void moveInto(Path out, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.move(out, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw ImageException.io("cannot move " + out + " to " + target + ": " + e.getMessage(), e);
        }
    }

    private void restore(ImageLayout layout) {
        try {
            if (Files.exists(layout.retiredDir())) {
                deleteQuietly(layout.dir());
                Files.move(layout.retiredDir(), layout.dir());
            }
        } catch (IOException e) {
            LOG.error("cannot put the previous files of image {} back from {}: {}", layout.name(), layout.retiredDir(), e.toString());
        }
    }

    private void copy(Path from, Path to) {
        host.run(Command.of("cp", "--sparse=always", "--reflink=auto", "--", from.toString(), to.toString())
                .withTimeout(java.time.Duration.ofMinutes(10)));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw ImageException.precondition("cannot read the size of " + file + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            GuestTree.deleteTree(path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.toString());
        }
    }
}
