package dev.banger.runtime;

import com.sun.net.httpserver.HttpServer;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Firecracker's v1.16.1 release archive with the real layout
 * ({@code release-v1.16.1-x86_64/firecracker-v1.16.1-x86_64} and {@code …/jailer-v1.16.1-x86_64}, small
 * shell scripts as the binaries), served from a loopback HTTP server that counts its requests; under
 * {@code /gone/} the server answers 404.
 */
final class FakeFirecrackerRelease implements AutoCloseable {
    static final String DIR = "release-v1.16.1-x86_64";
    static final String FIRECRACKER_MEMBER = DIR + "/firecracker-v1.16.1-x86_64";
    static final String JAILER_MEMBER = DIR + "/jailer-v1.16.1-x86_64";
    static final String ARCHIVE = "firecracker-v1.16.1-x86_64.tgz";
    static final String FIRECRACKER = "#!/bin/sh\necho 'Firecracker v1.16.1 (stand-in)'\n";
    static final String JAILER = "#!/bin/sh\necho 'Jailer v1.16.1 (stand-in)'\n";

    final Path archive;
    final String archiveSha;
    final String firecrackerSha = Sha256.of(FIRECRACKER.getBytes(StandardCharsets.UTF_8));
    final String jailerSha = Sha256.of(JAILER.getBytes(StandardCharsets.UTF_8));
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    /** Packs the archive under {@code workDir} and starts serving it. */
    FakeFirecrackerRelease(Path workDir) throws IOException {
        Path tree = Files.createDirectories(workDir.resolve("release-tree").resolve(DIR));
        Files.writeString(tree.resolve("firecracker-v1.16.1-x86_64"), FIRECRACKER);
        Files.writeString(tree.resolve("jailer-v1.16.1-x86_64"), JAILER);
        Files.writeString(tree.resolve("SHA256SUMS"), "not a binary");
        archive = workDir.resolve(ARCHIVE);
        new ProcessHostCommands().run("tar", "-C", tree.getParent().toString(), "-czf", archive.toString(), DIR);
        archiveSha = Sha256.of(archive);
        byte[] body = Files.readAllBytes(archive);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/releases/download/v1.16.1/" + ARCHIVE, exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/gone/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/releases/download/v1.16.1/" + ARCHIVE;
    }

    /** A URL on the same server that answers 404 (and counts the request). */
    String goneUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/gone/" + ARCHIVE;
    }

    /**
     * The two artifacts as config/runtime-bundle.toml declares them, with this archive's source and
     * the given pins and members (so a test can get one of them wrong).
     */
    static BundleSpec spec(String url, String archiveSha, String firecrackerMember, String firecrackerSha,
                           String jailerMember, boolean optional) {
        return BundleSpecLoader.parse("""
                version = "0.1.0"
                [[artifact]]
                name = "firecracker"
                version = "1.16.1"
                source = "%1$s"
                sha256 = "%2$s"
                member = "%3$s"
                member_sha256 = "%4$s"
                path = "bin/firecracker"
                executable = true
                optional = %6$s
                [[artifact]]
                name = "jailer"
                version = "1.16.1"
                source = "%1$s"
                sha256 = "%2$s"
                member = "%5$s"
                path = "bin/jailer"
                executable = true
                optional = %6$s
                """.formatted(url, archiveSha, firecrackerMember, firecrackerSha, jailerMember, optional), "test spec");
    }

    /** The spec of the real release layout with every pin right. */
    BundleSpec spec() {
        return spec(url(), archiveSha, FIRECRACKER_MEMBER, firecrackerSha, JAILER_MEMBER, true);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
