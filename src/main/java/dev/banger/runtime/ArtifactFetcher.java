package dev.banger.runtime;

import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings the bytes of an http(s) or {@code file://} source onto this host, verified. Downloads go
 * to a temp file in the cache, are hashed while streaming, and only a matching file is moved
 * (atomically) to its cache name {@code <sha256>-<file name>}, so a rerun finds it and skips the
 * network. A mismatch deletes the partial file and names artifact, expected and actual sum.
 * Several artifacts taken from one archive share its cache file, so the archive is downloaded once;
 * a download that failed is not tried again by the same fetcher (one bootstrap run), so a host
 * without a route to the publisher waits for one connect timeout, not one per artifact.
 * An {@linkplain #offline offline} fetcher has no HTTP client at all: it serves downloads from the
 * cache or fails naming the artifact, which is how bootstrap runs on hosts without a network (CI).
 * Thread-safe: concurrent fetches of one file race only on the final atomic rename.
 */
public final class ArtifactFetcher {
    private final Optional<HttpClient> client;
    private final Path cacheDir;
    private final Duration requestTimeout;
    /** Why a download failed, by its cache file: later artifacts from the same archive are told at once. */
    private final Map<Path, String> failed = new ConcurrentHashMap<>();

    public ArtifactFetcher(Path cacheDir) {
        this(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build(), cacheDir, Duration.ofMinutes(10));
    }

    public ArtifactFetcher(HttpClient client, Path cacheDir, Duration requestTimeout) {
        this(Optional.of(client), cacheDir, requestTimeout);
    }

    private ArtifactFetcher(Optional<HttpClient> client, Path cacheDir, Duration requestTimeout) {
        this.client = client;
        this.cacheDir = cacheDir;
        this.requestTimeout = requestTimeout;
    }

    /** A fetcher that never opens a network connection: http(s) sources come from the download cache only. */
    public static ArtifactFetcher offline(Path cacheDir) {
        return new ArtifactFetcher(Optional.empty(), cacheDir, Duration.ZERO);
    }

    /** A verified local copy of a source: the file and the sum of its bytes. */
    public record Fetched(Path file, String sha256) {}

    /**
     * Fetches an http(s) or file:// artifact source.
     *
     * @throws RuntimeBundleException when it is unreachable, missing, or its sum differs from the pin
     */
    public Fetched fetch(ArtifactSpec spec) {
        return switch (spec.source()) {
            case ArtifactSource.Http http -> download(spec, http);
            case ArtifactSource.LocalFile local -> local(spec, local.path());
            case ArtifactSource.Recipe recipe -> throw new IllegalArgumentException(
                    "recipes are staged, not fetched: " + recipe.display());
        };
    }

    private Fetched local(ArtifactSpec spec, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RuntimeBundleException(ErrorKind.NOT_FOUND, "artifact '" + spec.name() + "': source file "
                    + file + " does not exist; fix the path in the bundle spec or put the file there");
        }
        String actual = Sha256.of(file);
        if (spec.pinned() && !actual.equals(spec.sha256())) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "artifact '" + spec.name() + "' from "
                    + file + " has the wrong sha256: expected " + spec.sha256() + ", got " + actual
                    + "; use the right file or fix sha256 in the bundle spec");
        }
        return new Fetched(file, actual);
    }

    private Fetched download(ArtifactSpec spec, ArtifactSource.Http http) {
        Path downloads = cacheDir.resolve("downloads");
        Path cached = downloads.resolve(spec.sha256() + "-" + http.fileName());
        if (Files.isRegularFile(cached) && Sha256.of(cached).equals(spec.sha256())) {
            return new Fetched(cached, spec.sha256());
        }
        if (client.isEmpty()) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "artifact '" + spec.name() + "': "
                    + http.display() + " is not in the download cache (" + cached + ") and --offline allows no"
                    + " download; rerun `banger runtime bootstrap` without --offline on a connected host");
        }
        String failedBefore = failed.get(cached);
        if (failedBefore != null) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "artifact '" + spec.name()
                    + "': cannot download " + http.display() + " (" + failedBefore + "; not retried in this run)");
        }
        Path part = null;
        try {
            Files.createDirectories(downloads);
            part = Files.createTempFile(downloads, "." + http.fileName(), ".part");
            HttpRequest request = HttpRequest.newBuilder(http.uri()).timeout(requestTimeout).GET().build();
            HttpResponse<InputStream> response = client.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest digest = Sha256.newDigest();
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw unreachable(spec, http, cached, "HTTP " + response.statusCode(), null);
                }
                try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), digest)) {
                    body.transferTo(out);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(spec.sha256())) {
                throw mismatch(spec, actual);
            }
            Files.move(part, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Fetched(cached, actual);
        } catch (IOException e) {
            throw unreachable(spec, http, cached, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "artifact '" + spec.name() + "': download interrupted", e);
        } finally {
            deleteQuietly(part);
        }
    }

    private RuntimeBundleException unreachable(ArtifactSpec spec, ArtifactSource.Http http, Path cached, String why,
                                               Throwable cause) {
        failed.put(cached, why);
        return new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "artifact '" + spec.name()
                + "': cannot download " + http.display() + " (" + why + ")", cause);
    }

    static ChecksumMismatchException mismatch(ArtifactSpec spec, String actual) {
        return new ChecksumMismatchException(spec.name(), spec.sha256(), actual, "artifact '" + spec.name()
                + "' from " + spec.source().display() + " has the wrong sha256: expected " + spec.sha256()
                + ", got " + actual + "; the file was deleted. Check the source, or update sha256 in the bundle spec"
                + " if the publisher really changed it");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover .part file in the cache is harmless: it is never read.
            }
        }
    }
}
