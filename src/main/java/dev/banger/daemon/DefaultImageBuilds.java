package dev.banger.daemon;

import dev.banger.image.ImageBuildRequest;
import dev.banger.model.ErrorKind;
import dev.banger.model.Image;
import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.store.ImageRepository;
import dev.banger.store.OperationRepository;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code image.default.ensure}: what a first {@code banger vm create} asks when its image is
 * missing. The configured default image ({@code [image] default}) is built with the same request
 * {@code banger image build} makes without arguments; any other missing image is not found. Every
 * build of an image, whoever began it, is remembered until it ends, so creates that ask at the same
 * time follow one build instead of starting several. Thread-safe.
 */
final class DefaultImageBuilds {
    /**
     * The answer: the image the create will use and, while it is being built, that build.
     *
     * @param build          null when the image is there
     * @param alreadyRunning whether {@code build} was begun before this call (by another create or
     *                       an {@code image build})
     */
    record Ensured(String image, Operation build, boolean alreadyRunning) {}

    private final ImageRepository images;
    private final OperationRepository operations;
    private final Supplier<String> configuredDefault;
    private final Map<String, String> buildsByImage = new HashMap<>();

    DefaultImageBuilds(ImageRepository images, OperationRepository operations, Supplier<String> configuredDefault) {
        this.images = images;
        this.operations = operations;
        this.configuredDefault = configuredDefault;
    }

    /**
     * Begins a build through {@code begin}; every image build goes through here, so the running one
     * is always known. A second build of an image already being built is begun too (and fails at
     * its validate stage, as it always has); the first stays the one creates follow.
     */
    synchronized Operation begin(ImageBuildRequest request, Function<ImageBuildRequest, Operation> begin) {
        Operation started = begin.apply(request);
        if (running(request.name()).isEmpty()) {
            buildsByImage.put(request.name(), started.id());
        }
        return started;
    }

    /**
     * {@code image} (null: what a create without {@code --image} uses) exists, or the build that
     * makes it runs: a running one is joined, else the configured default's is begun with
     * {@code defaultRequest}.
     */
    synchronized Ensured ensure(String image, Function<String, ImageBuildRequest> defaultRequest,
            Function<ImageBuildRequest, Operation> begin) {
        String wanted = image != null ? image
                : images.findDefault().map(Image::name).orElseGet(configuredDefault);
        if (images.find(wanted).isPresent()) {
            return new Ensured(wanted, null, false);
        }
        Optional<Operation> running = running(wanted);
        if (running.isPresent()) {
            return new Ensured(wanted, running.get(), true);
        }
        if (!wanted.equals(configuredDefault.get())) {
            throw new DaemonException(ErrorKind.NOT_FOUND, "image '" + wanted + "' does not exist; only the configured"
                    + " default image ('" + configuredDefault.get() + "') is built on a first create; build it with"
                    + " 'banger image build --name " + wanted + "'");
        }
        return new Ensured(wanted, begin(defaultRequest.apply(wanted), begin), false);
    }

    private Optional<Operation> running(String image) {
        String id = buildsByImage.get(image);
        if (id == null) {
            return Optional.empty();
        }
        Optional<Operation> build = operations.find(id).filter(op -> op.state() == OperationState.RUNNING);
        if (build.isEmpty()) {
            buildsByImage.remove(image);
        }
        return build;
    }
}
