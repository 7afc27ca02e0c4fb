package dev.banger.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What bundle discovery looks at, gathered once so that discovery itself is a pure function of
 * this value plus the file system, and tests can describe any host layout. Immutable.
 *
 * @param env              environment ({@code BANGER_RUNTIME_BUNDLE}, {@code BANGER_CACHE_DIR})
 * @param binaryDir        directory of the {@code banger} launcher ({@code -Dbanger.bin}), when known
 * @param cwd              current directory (legacy {@code ./runtime})
 * @param configuredBundle {@code [runtime] bundle} from the config, which wins over every other
 *                         place (the daemon uses that bundle); empty when not set or not known
 */
public record DiscoveryContext(Map<String, String> env, Optional<Path> binaryDir, Path cwd, Optional<Path> configuredBundle) {
    public static final String BUNDLE_ENV = "BANGER_RUNTIME_BUNDLE";
    /** Set by the launchers (scripts/make-launchers.sh) to their own directory. */
    public static final String BIN_DIR_PROPERTY = "banger.bin";
    static final String SPEC_IN_CHECKOUT = "config/runtime-bundle.toml";

    public DiscoveryContext {
        env = Map.copyOf(env);
        binaryDir = binaryDir.map(p -> p.toAbsolutePath().normalize());
        cwd = cwd.toAbsolutePath().normalize();
        configuredBundle = configuredBundle.map(p -> p.toAbsolutePath().normalize());
    }

    /** No configured bundle: discovery from the environment and the file system alone. */
    public DiscoveryContext(Map<String, String> env, Optional<Path> binaryDir, Path cwd) {
        this(env, binaryDir, cwd, Optional.empty());
    }

    /** This context with {@code [runtime] bundle} from the config (empty: not set). */
    public DiscoveryContext withConfiguredBundle(Optional<Path> bundle) {
        return new DiscoveryContext(env, binaryDir, cwd, bundle);
    }

    public static DiscoveryContext fromSystem() {
        String bin = System.getProperty(BIN_DIR_PROPERTY);
        return new DiscoveryContext(System.getenv(),
                bin == null || bin.isBlank() ? Optional.empty() : Optional.of(Path.of(bin)),
                Path.of(System.getProperty("user.dir")));
    }

    public Optional<Path> bundleFromEnv() {
        String value = env.get(BUNDLE_ENV);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value).toAbsolutePath().normalize());
    }

    /**
     * The source checkout banger runs from, if any: the launcher's {@code ../..} when it holds
     * pom.xml (build/bin/banger), else the current directory when it holds pom.xml and the bundle spec.
     */
    public Optional<Path> checkoutRoot() {
        Optional<Path> fromBinary = binaryDir.map(d -> d.resolve("../..").normalize())
                .filter(root -> Files.isRegularFile(root.resolve("pom.xml")));
        if (fromBinary.isPresent() || binaryDir.isPresent()) {
            return fromBinary;
        }
        return Stream.of(cwd).filter(DiscoveryContext::isCheckout).findFirst();
    }

    /** {@code <dir of the binary>/../lib/banger}, unless the binary lives in a checkout's build/bin. */
    public Optional<Path> installedBundle() {
        if (binaryDir.isEmpty() || checkoutRoot().isPresent() && binaryDir.isPresent()
                && binaryDir.get().equals(checkoutRoot().get().resolve("build/bin"))) {
            return Optional.empty();
        }
        return binaryDir.map(d -> d.resolve("../lib/banger").normalize());
    }

    /** The cache for downloads and staging: {@code $BANGER_CACHE_DIR}, default /var/cache/banger. */
    public Path cacheDir() {
        return dev.banger.config.BangerPaths.fromEnvironment(env).cacheDir();
    }

    static boolean isCheckout(Path dir) {
        return Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve(SPEC_IN_CHECKOUT));
    }
}
