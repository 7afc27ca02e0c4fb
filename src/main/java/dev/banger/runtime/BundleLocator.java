package dev.banger.runtime;

import dev.banger.model.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the runtime bundle: {@code [runtime] bundle} from the config (when the caller loaded it),
 * then {@code $BANGER_RUNTIME_BUNDLE}, then a source checkout's
 * {@code build/runtime}, then the installed {@code <dir of the binary>/../lib/banger}, then the
 * legacy {@code ./runtime} (with a warning). A directory counts once it holds {@code manifest.json}.
 * Pure apart from reading the file system; thread-safe.
 */
public final class BundleLocator {
    private BundleLocator() {}

    /** Every place discovery looks, in order, whether or not something is there. */
    public static List<BundleLocation> candidates(DiscoveryContext ctx) {
        List<BundleLocation> out = new ArrayList<>();
        ctx.configuredBundle().ifPresent(p -> out.add(new BundleLocation(p, BundleLocation.Origin.CONFIG, "")));
        ctx.bundleFromEnv().ifPresent(p -> out.add(new BundleLocation(p, BundleLocation.Origin.ENVIRONMENT, "")));
        ctx.checkoutRoot().ifPresent(c -> out.add(new BundleLocation(c.resolve("build/runtime"), BundleLocation.Origin.CHECKOUT, "")));
        ctx.installedBundle().ifPresent(p -> out.add(new BundleLocation(p, BundleLocation.Origin.INSTALLED, "")));
        out.add(new BundleLocation(ctx.cwd().resolve("runtime"), BundleLocation.Origin.LEGACY,
                "using the legacy runtime bundle at " + ctx.cwd().resolve("runtime") + "; move it with `"
                        + "banger runtime package` + `banger runtime install --from <tarball>`, or rebuild it with "
                        + "`banger runtime bootstrap`"));
        return out;
    }

    /**
     * The first candidate that holds a manifest; an explicit {@code [runtime] bundle} or
     * {@code $BANGER_RUNTIME_BUNDLE} is never skipped for a later one.
     */
    public static Optional<BundleLocation> locate(DiscoveryContext ctx) {
        for (BundleLocation candidate : candidates(ctx)) {
            if (Files.isRegularFile(candidate.root().resolve(BundlePaths.MANIFEST))) {
                return Optional.of(candidate);
            }
            if (candidate.origin() == BundleLocation.Origin.CONFIG || candidate.origin() == BundleLocation.Origin.ENVIRONMENT) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Like {@link #locate} but fails with where it looked and the command that fixes it. */
    public static BundleLocation require(DiscoveryContext ctx) {
        return locate(ctx).orElseThrow(() -> new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, missingMessage(ctx)));
    }

    static String missingMessage(DiscoveryContext ctx) {
        Optional<Path> configured = ctx.configuredBundle();
        if (configured.isPresent()) {
            return "[runtime] bundle in the config points at " + configured.get() + ", which holds no runtime bundle"
                    + " (no manifest.json). Run " + fixHint(ctx) + ", or fix or remove [runtime] bundle.";
        }
        Optional<Path> env = ctx.bundleFromEnv();
        if (env.isPresent()) {
            return "$" + DiscoveryContext.BUNDLE_ENV + " points at " + env.get() + ", which holds no runtime bundle"
                    + " (no manifest.json). Run " + fixHint(ctx) + ", or unset " + DiscoveryContext.BUNDLE_ENV + ".";
        }
        StringBuilder looked = new StringBuilder();
        for (BundleLocation c : candidates(ctx)) {
            looked.append(looked.isEmpty() ? "" : ", ").append(c.root());
        }
        return "no runtime bundle found (looked in " + looked + "). Run " + fixHint(ctx)
                + " or `banger runtime install --from <banger-runtime-VERSION.tar.gz>`.";
    }

    /** The command that builds a bundle where discovery will find it, quoted for a message. */
    public static String fixHint(DiscoveryContext ctx) {
        if (ctx.configuredBundle().isPresent()) {
            return "`banger runtime bootstrap --dir " + ctx.configuredBundle().get() + "`";
        }
        return ctx.bundleFromEnv().isEmpty() && ctx.checkoutRoot().isPresent()
                ? "`make runtime` (or `banger runtime bootstrap`)"
                : "`banger runtime bootstrap`";
    }

    /**
     * Where bootstrap and install put the bundle: {@code $BANGER_RUNTIME_BUNDLE}, else the checkout's
     * {@code build/runtime}, else the installed {@code lib/banger}.
     */
    public static Path target(DiscoveryContext ctx) {
        return ctx.bundleFromEnv()
                .or(() -> ctx.checkoutRoot().map(c -> c.resolve("build/runtime")))
                .or(ctx::installedBundle)
                .orElseThrow(() -> new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED,
                        "cannot tell where the runtime bundle belongs: not in a source checkout and no install prefix"
                                + " known. Pass --dir <dir> or set " + DiscoveryContext.BUNDLE_ENV + "."));
    }

    /** The bundle spec: the checkout's config/runtime-bundle.toml, else {@code <prefix>/share/banger/runtime-bundle.toml}. */
    public static Optional<Path> specFile(DiscoveryContext ctx) {
        Optional<Path> checkout = ctx.checkoutRoot().map(c -> c.resolve(DiscoveryContext.SPEC_IN_CHECKOUT));
        if (checkout.isPresent()) {
            return checkout;
        }
        return ctx.installedBundle()
                .map(lib -> lib.resolve("../../share/banger/runtime-bundle.toml").normalize())
                .filter(Files::isRegularFile);
    }
}
