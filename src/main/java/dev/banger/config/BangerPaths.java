package dev.banger.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where one banger instance keeps its files. Every location moves by environment variable so
 * several instances (tests, mostly) can coexist on one host.
 *
 * @param stateDir   database, images, VM dirs ({@code BANGER_STATE_DIR}, default /var/lib/banger)
 * @param runtimeDir the daemon socket and other volatile files ({@code BANGER_RUNTIME_DIR}, default /run/banger)
 * @param cacheDir   downloads and build caches ({@code BANGER_CACHE_DIR}, default /var/cache/banger)
 * @param configFile the TOML config ({@code BANGER_CONFIG}, default /etc/banger/config.toml)
 */
public record BangerPaths(Path stateDir, Path runtimeDir, Path cacheDir, Path configFile) {
    public static final String STATE_DIR_ENV = "BANGER_STATE_DIR";
    public static final String RUNTIME_DIR_ENV = "BANGER_RUNTIME_DIR";
    public static final String CACHE_DIR_ENV = "BANGER_CACHE_DIR";
    public static final String CONFIG_ENV = "BANGER_CONFIG";

    public static BangerPaths fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static BangerPaths fromEnvironment(Map<String, String> env) {
        return new BangerPaths(
                dir(env, STATE_DIR_ENV, "/var/lib/banger"),
                dir(env, RUNTIME_DIR_ENV, "/run/banger"),
                dir(env, CACHE_DIR_ENV, "/var/cache/banger"),
                dir(env, CONFIG_ENV, "/etc/banger/config.toml"));
    }

    public Path socket() {
        return runtimeDir.resolve("bangerd.sock");
    }

    public Path database() {
        return stateDir.resolve("state.db");
    }

    public Path lockFile() {
        return stateDir.resolve("bangerd.lock");
    }

    public Path daemonLog() {
        return stateDir.resolve("bangerd.log");
    }

    private static Path dir(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return Path.of(value == null || value.isBlank() ? fallback : value).toAbsolutePath().normalize();
    }
}
