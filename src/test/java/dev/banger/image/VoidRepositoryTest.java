package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reachability check against fake repositories: an HTTP server on loopback, and file: directories. */
class VoidRepositoryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path tmp;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A repository on loopback that has an index only under /current. */
    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/current/x86_64-repodata") ? 200 : 404;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void aRepositoryServingItsIndexIsReachable() throws IOException {
        URI base = serve();

        assertThatCode(() -> VoidRepository.requireReachable(base.resolve("current"), TIMEOUT)).doesNotThrowAnyException();
        assertThatCode(() -> VoidRepository.requireReachable(base.resolve("current/"), TIMEOUT)).doesNotThrowAnyException();
    }

    @Test
    void aRepositoryWithoutAnIndexFailsNamingTheSettingAndTheStatus() throws IOException {
        URI repo = serve().resolve("musl");

        assertThatThrownBy(() -> VoidRepository.requireReachable(repo, TIMEOUT))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("the Void repository " + repo + " (config image.void_repository) cannot be reached")
                .hasMessageContaining(repo + "/x86_64-repodata answered HTTP 404");
    }

    @Test
    void aRefusedConnectionFailsNamingTheSetting() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI repo = URI.create("http://127.0.0.1:" + port + "/current");

        assertThatThrownBy(() -> VoidRepository.requireReachable(repo, TIMEOUT))
                .isInstanceOf(ImageException.class).hasMessageContaining("(config image.void_repository) cannot be reached: fetching");
    }

    @Test
    void aRepositoryThatNeverAnswersFailsWithinTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI repo = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/current");
            Instant start = Instant.now();

            assertThatThrownBy(() -> VoidRepository.requireReachable(repo, Duration.ofMillis(500)))
                    .isInstanceOf(ImageException.class).hasMessageContaining("image.void_repository");
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aLocalRepositoryIsReachableWhenItsIndexFileExists() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("current"));

        assertThatThrownBy(() -> VoidRepository.requireReachable(repo.toUri(), TIMEOUT))
                .isInstanceOf(ImageException.class).hasMessageContaining("x86_64-repodata does not exist");
        Files.writeString(repo.resolve("x86_64-repodata"), "index");
        assertThatCode(() -> VoidRepository.requireReachable(repo.toUri(), TIMEOUT)).doesNotThrowAnyException();
    }

    @Test
    void theConfiguredRepositoryWinsOverTheHostsXbpsConfiguration() throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("etc/xbps.d"));
        Files.writeString(etc.resolve("00-repository-main.conf"), "repository=https://host.example/current\n");
        URI configured = URI.create("https://configured.example/current");

        assertThat(VoidRepository.choose(Optional.of(configured), List.of(etc))).isEqualTo(configured);
        assertThat(VoidRepository.choose(Optional.empty(), List.of(etc))).isEqualTo(URI.create("https://host.example/current"));
    }

    @Test
    void theHostsEtcFileMasksTheSystemFileOfTheSameName() throws IOException {
        Path etc = Files.createDirectories(tmp.resolve("etc/xbps.d"));
        Path share = Files.createDirectories(tmp.resolve("usr/share/xbps.d"));
        Files.writeString(share.resolve("00-repository-main.conf"), "repository=https://packaged.example/current\n");
        Files.writeString(etc.resolve("00-repository-main.conf"), "# local mirror\nrepository=https://local.example/current\n");

        assertThat(VoidRepository.choose(Optional.empty(), List.of(etc, share))).isEqualTo(URI.create("https://local.example/current"));
    }

    @Test
    void withNoRepositoryAnywhereTheErrorSaysWhichSettingToSet() {
        assertThatThrownBy(() -> VoidRepository.choose(Optional.empty(), List.of(tmp.resolve("missing"))))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("no Void repository is configured: set image.void_repository");
    }
}
