package dev.banger.image;

import dev.banger.config.ConfigKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Void package repository a build uses, and the early check that it can be reached. The
 * repository is the configured one ({@code image.void_repository}), else the first
 * {@code repository=} line of the host's xbps configuration; banger names no mirror of its own.
 * The check asks for the repository's index ({@code <repo>/x86_64-repodata}) with a bounded
 * timeout before any slow stage, so an unreachable repository fails the build in seconds with a
 * message naming the setting. Stateless and thread-safe.
 */
public final class VoidRepository {
    /** The only architecture banger builds Void guests for. */
    public static final String ARCH = "x86_64";
    /** Where xbps looks for its configuration, later directories overridden by files of the same name in earlier ones. */
    public static final List<Path> XBPS_CONFIG_DIRS = List.of(Path.of("/etc/xbps.d"), Path.of("/usr/share/xbps.d"));

    private VoidRepository() {}

    /** The configured repository, else the host's xbps configuration's; fails naming the config key when there is none. */
    public static URI choose(Optional<URI> configured, List<Path> xbpsConfigDirs) {
        return configured.or(() -> fromXbpsConfig(xbpsConfigDirs)).orElseThrow(() -> ImageException.precondition(
                "no Void repository is configured: set " + ConfigKeys.IMAGE_VOID_REPOSITORY
                        + " in the config to a Void mirror's current repository (the URL of the directory holding "
                        + ARCH + "-repodata), or add a repository= line under /etc/xbps.d"));
    }

    /** The first {@code repository=} value of the {@code *.conf} files, in xbps's order (by file name, earlier directories winning). */
    static Optional<URI> fromXbpsConfig(List<Path> dirs) {
        Map<String, Path> files = new TreeMap<>();
        for (Path dir : dirs.reversed()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> confs = Files.newDirectoryStream(dir, "*.conf")) {
                confs.forEach(f -> files.put(f.getFileName().toString(), f));
            } catch (IOException e) {
                throw ImageException.io("cannot read the xbps configuration in " + dir + ": " + e.getMessage(), e);
            }
        }
        for (Path file : files.values()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw ImageException.io("cannot read " + file + ": " + e.getMessage(), e);
            }
            for (String line : lines) {
                String text = line.strip();
                if (text.startsWith("repository=")) {
                    String value = text.substring("repository=".length()).strip();
                    if (value.matches("(?:https?|file)://\\S+")) {
                        return Optional.of(URI.create(value));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The repository index xbps fetches first. */
    public static URI index(URI repository) {
        String base = repository.toString().replaceAll("/+$", "");
        return URI.create(base + "/" + ARCH + "-repodata");
    }

    /**
     * Fails unless the repository's index answers within {@code timeout}: an HTTP 200 to a HEAD
     * request, or a regular file for a {@code file:} repository. The message names the
     * repository, its config key and what went wrong.
     */
    public static void requireReachable(URI repository, Duration timeout) {
        URI index = index(repository);
        Optional<String> problem = problem(index, timeout);
        if (problem.isPresent()) {
            throw ImageException.precondition("the Void repository " + repository + " (config "
                    + ConfigKeys.IMAGE_VOID_REPOSITORY + ") cannot be reached: " + problem.get()
                    + "; point " + ConfigKeys.IMAGE_VOID_REPOSITORY + " at a reachable mirror, or build on a connected host"
                    + " (docs/void.md)");
        }
    }

    private static Optional<String> problem(URI index, Duration timeout) {
        String scheme = index.getScheme() == null ? "" : index.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (scheme.equals("file")) {
            return Files.isRegularFile(Path.of(index)) ? Optional.empty() : Optional.of(index.getPath() + " does not exist");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("only http, https and file repositories are supported");
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpRequest request = HttpRequest.newBuilder(index).timeout(timeout)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? Optional.empty()
                    : Optional.of(index + " answered HTTP " + response.statusCode());
        } catch (IOException e) {
            return Optional.of("fetching " + index + " failed within " + timeout.toSeconds() + " s: " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while fetching " + index);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
