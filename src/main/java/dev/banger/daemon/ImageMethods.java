package dev.banger.daemon;

import dev.banger.config.ByteSize;
import dev.banger.image.DebianImageBuilder;
import dev.banger.image.Distro;
import dev.banger.image.ImageBuildRequest;
import dev.banger.image.ImageCatalog;
import dev.banger.image.ImageRegistration;
import dev.banger.image.Profile;
import dev.banger.image.VoidImageBuilder;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.Image;
import dev.banger.model.ImageDetails;
import dev.banger.model.ImageSnapshot;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.rpc.InvalidParameterException;
import dev.banger.rpc.RpcMethod;
import dev.banger.store.ImageRepository;
import dev.banger.store.OperationRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code image.*} methods: build and rebuild (as background operations whose stages the CLI
 * polls with {@code image.build.status}), register, promote, list, show and delete. Every
 * parameter is validated before anything is started. Thread-safe.
 */
final class ImageMethods {
    static final long DEFAULT_ROOTFS_BYTES = 4L << 30;

    private final ImageCatalog catalog;
    private final ImageRepository images;
    private final OperationRepository operations;
    private final OperationRunner runner;
    private final ImageVerifier verifier;
    private final Consumer<String> imageChanged;
    private final DefaultImageBuilds builds;
    private final Function<Image, List<ImageSnapshot>> snapshots;

    /**
     * @param imageChanged      told the name of an image deleted or rebuilt (warm machines hold its old files open)
     * @param configuredDefault {@code [image] default}: the one image a first create builds
     * @param snapshots         an image's golden snapshots, for {@code image.show}
     */
    ImageMethods(ImageCatalog catalog, ImageRepository images, OperationRepository operations, OperationRunner runner,
            ImageVerifier verifier, Consumer<String> imageChanged, Supplier<String> configuredDefault,
            Function<Image, List<ImageSnapshot>> snapshots) {
        this.snapshots = snapshots;
        this.verifier = verifier;
        this.imageChanged = imageChanged;
        this.catalog = catalog;
        this.images = images;
        this.operations = operations;
        this.runner = runner;
        this.builds = new DefaultImageBuilds(images, operations, configuredDefault);
    }

    /** {@code image.build.begin}; every member is optional. */
    record BuildParams(String name, String distro, String profile, String size, String release) {
        ImageBuildRequest request() {
            String n = name == null ? "default" : new NameParams(name).name();
            Distro d = field("distro", () -> distro == null ? Distro.DEBIAN : Distro.fromId(distro));
            Profile p = field("profile", () -> profile == null ? Profile.DEV : Profile.fromId(profile));
            long bytes = field("size", () -> ImageBuildRequest.checkRootfsBytes(
                    size == null ? DEFAULT_ROOTFS_BYTES : ByteSize.parse(size).bytes()));
            String r = field("release", () -> ImageBuildRequest.checkRelease(
                    release != null ? release
                            : d == Distro.VOID ? VoidImageBuilder.DEFAULT_RELEASE : DebianImageBuilder.DEFAULT_RELEASE));
            return new ImageBuildRequest(n, d, p, r, bytes, Optional.empty());
        }

        /** Turns a value's own validation error into an invalid-params error naming the field. */
        private static <T> T field(String field, java.util.function.Supplier<T> value) {
            try {
                return value.get();
            } catch (BangerException e) {
                throw new InvalidParameterException(field, e.getMessage());
            }
        }
    }

    /** {@code image.default.ensure}: the image a create names, or null for the one it uses by default. */
    record EnsureParams(String image) {
        EnsureParams {
            if (image != null) {
                new NameParams(image);
            }
        }
    }

    record NameParams(String name) {
        NameParams {
            if (name == null || name.isBlank()) {
                throw new InvalidParameterException("name", "an image name is required");
            }
            if (!Image.isValidName(name)) {
                throw new InvalidParameterException("name", "'" + name + "' is not a valid image name");
            }
        }
    }

    record OperationParams(String operationId) {
        OperationParams {
            if (operationId == null || !operationId.matches("[0-9a-f-]{36}")) {
                throw new InvalidParameterException("operationId", "expected an operation id as returned by image.build.begin"
                        + " or image.verify.begin");
            }
        }
    }

    record RegisterParams(String name, String kernel, String rootfs, String initrd, String modules, String workSeed) {
        RegisterParams {
            new NameParams(name);
            if (kernel == null) {
                throw new InvalidParameterException("kernel", "the kernel path is required");
            }
            if (rootfs == null) {
                throw new InvalidParameterException("rootfs", "the rootfs path is required");
            }
        }

        ImageRegistration registration() {
            return new ImageRegistration(name, path("kernel", kernel), path("rootfs", rootfs), path("initrd", initrd),
                    path("modules", modules), path("workSeed", workSeed));
        }

        private static Path path(String field, String text) {
            if (text == null) {
                return null;
            }
            if (text.isEmpty() || text.indexOf('\0') >= 0 || !text.startsWith("/")) {
                throw new InvalidParameterException(field, "'" + text + "' is not an absolute path");
            }
            return Path.of(text).normalize();
        }
    }

    record ImageList(List<Image> images) {}

    record Deleted(String name) {}

    List<RpcMethod<?, ?>> methods() {
        return List.of(
                RpcMethod.of("image.build.begin", BuildParams.class, (p, c) -> builds.begin(p.request(), this::beginBuild)),
                RpcMethod.of("image.default.ensure", EnsureParams.class, (p, c) -> builds.ensure(p.image(),
                        name -> new BuildParams(name, null, null, null, null).request(), this::beginBuild)),
                RpcMethod.of("image.rebuildRootfs.begin", NameParams.class, (p, c) -> beginRebuild(p.name())),
                RpcMethod.of("image.build.status", OperationParams.class, (p, c) -> status(p.operationId(), OperationKind.IMAGE_BUILD)),
                RpcMethod.of("image.verify.begin", NameParams.class, (p, c) -> beginVerify(p.name())),
                RpcMethod.of("image.verify.status", OperationParams.class, (p, c) -> status(p.operationId(), OperationKind.IMAGE_VERIFY)),
                RpcMethod.of("image.register", RegisterParams.class, (p, c) -> catalog.register(p.registration())),
                RpcMethod.of("image.promote", NameParams.class, (p, c) -> catalog.promote(p.name())),
                RpcMethod.withoutParams("image.list", c -> new ImageList(images.list())),
                RpcMethod.of("image.show", NameParams.class, (p, c) -> show(p.name())),
                RpcMethod.of("image.delete", NameParams.class, (p, c) -> {
                    catalog.delete(p.name());
                    imageChanged.accept(p.name());
                    return new Deleted(p.name());
                }));
    }

    private Operation beginBuild(ImageBuildRequest request) {
        catalog.checkNewBuild(request);
        return runner.begin(OperationKind.IMAGE_BUILD, request.name(), catalog.buildStages(request.distro()),
                stages -> catalog.build(request, stages));
    }

    private Operation beginRebuild(String name) {
        ImageBuildRequest request = catalog.rebuildRequest(name);
        return runner.begin(OperationKind.IMAGE_BUILD, name, catalog.buildStages(request.distro()),
                stages -> {
                    try {
                        catalog.rebuild(request, stages);
                    } finally {
                        imageChanged.accept(name);
                    }
                });
    }

    private Operation beginVerify(String name) {
        images.get(name);
        dev.banger.vm.create.CreatePlan plan = verifier.plan(name);
        return runner.begin(OperationKind.IMAGE_VERIFY, name, verifier.stages(plan), stages -> verifier.verify(plan, stages));
    }

    private Operation status(String operationId, OperationKind kind) {
        return status(operations, operationId, kind);
    }

    /** The operation {@code operationId} of {@code kind}, else not-found. */
    static Operation status(OperationRepository operations, String operationId, OperationKind kind) {
        return operations.find(operationId)
                .filter(op -> op.kind() == kind)
                .orElseThrow(() -> new DaemonException(ErrorKind.NOT_FOUND, "no " + kind.wireName().replace('-', ' ')
                        + " operation " + operationId));
    }

    private ImageDetails show(String name) {
        Image image = images.get(name);
        return new ImageDetails(image, image.manifestJson(), images.users(name), snapshots.apply(image));
    }
}
