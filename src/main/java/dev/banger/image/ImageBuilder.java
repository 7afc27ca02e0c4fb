package dev.banger.image;

import dev.banger.model.StageRunner;
import java.nio.file.Path;

/**
 * Builds an image of one distro into a scratch directory: root tree, shared customisation, the
 * image's own kernel, work seed, rootfs and manifest. It neither registers nor installs anything;
 * on failure the caller deletes the scratch directory. Implementations are safe for concurrent
 * builds in different directories.
 */
public interface ImageBuilder {
    Distro distro();

    /** The stage names {@link #build} reports, in order, so progress can be shown from the start. */
    java.util.List<String> stages();

    BuiltImage build(ImageBuildRequest request, Path buildDir, StageRunner stages);
}
