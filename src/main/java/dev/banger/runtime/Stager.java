package dev.banger.runtime;

import dev.banger.host.HostCommands;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A recipe that produces artifacts on this host ({@code stage:}, {@code build:}, {@code generate:}
 * sources). One run yields all of the recipe's outputs, keyed by output name. Implementations are
 * stateless; one call at a time per work dir.
 */
interface Stager {
    /**
     * @throws RuntimeBundleException saying what is missing and how to fix it
     */
    Map<String, Staged> stage(Context context);

    /**
     * What a recipe may use.
     *
     * @param workDir    empty scratch directory on the bundle's file system, removed afterwards
     * @param bundleRoot the bundle being built (recipes that keep existing files read it)
     * @param checkout   the source checkout, when banger runs from one
     */
    record Context(HostCommands host, BundleSpec spec, Path cacheDir, Path workDir, Path bundleRoot,
                   Optional<Path> checkout, Consumer<String> progress) {}

    /**
     * One produced file.
     *
     * @param version      resolved version (e.g. the kernel release)
     * @param sourceSha256 sum of what it was made from, when there is one (the kernel .deb)
     */
    record Staged(Path file, String version, String sourceSha256) {}
}
