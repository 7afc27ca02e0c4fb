package dev.banger.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RuntimeBootstrapTest {
    private Path tmp;
    private Path cache;
    private Path target;
    private Path agent;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> progress = new ArrayList<>();
    private final AtomicInteger kernelStagings = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("banger-bootstrap");
        cache = tmp.resolve("cache");
        target = tmp.resolve("bundle");
        agent = tmp.resolve("build/dist/agent/banger-agent");
        Files.createDirectories(agent.getParent());
        Files.writeString(agent, "agent binary");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fc", exchange -> {
            requests.incrementAndGet();
            byte[] body = "firecracker binary".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        TestBundles.deleteTree(tmp);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private KernelStager fakeKernel() {
        return () -> {
            kernelStagings.incrementAndGet();
            try {
                Path dir = Files.createDirectories(tmp.resolve("kernel-out"));
                Map<String, Path> outputs = new java.util.HashMap<>();
                for (String name : List.of(KernelStager.VMLINUX, KernelStager.BZIMAGE, KernelStager.INITRD, KernelStager.MODULES)) {
                    outputs.put(name, Files.writeString(dir.resolve(name), "staged " + name));
                }
                return new KernelStager.StagedKernel("6.1.0-test", "linux-image-test.deb", "ab".repeat(32), outputs);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private RuntimeBootstrap bootstrap(Optional<Path> agentBuild) {
        return new RuntimeBootstrap(new ProcessHostCommands(), new ArtifactFetcher(cache), this::fakeKernel, agentBuild);
    }

    private BundleSpec spec(String firecrackerSource, String firecrackerSha, String extra) {
        return BundleSpecLoader.parse("""
                version = "9.9"
                [[artifact]]
                name = "firecracker"
                source = "%s"
                sha256 = "%s"
                path = "bin/firecracker"
                optional = true
                executable = true
                [[artifact]]
                name = "kernel-vmlinux"
                source = "stage:debian-kernel/vmlinux"
                path = "kernel/vmlinux"
                [[artifact]]
                name = "initrd"
                source = "stage:debian-kernel/initrd"
                path = "kernel/initrd.img"
                [[artifact]]
                name = "banger-agent"
                source = "build:agent"
                path = "bin/banger-agent"
                executable = true
                [[artifact]]
                name = "ssh-key"
                source = "generate:ssh-key/private"
                path = "ssh/id_ed25519"
                mode = "0600"
                [[artifact]]
                name = "ssh-key-pub"
                source = "generate:ssh-key/public"
                path = "ssh/id_ed25519.pub"
                %s
                """.formatted(firecrackerSource, firecrackerSha, extra), "test spec");
    }

    @Test
    void httpSourceIsDownloadedVerifiedAndRecordedInTheManifest() throws IOException {
        String sum = Sha256.of("firecracker binary".getBytes(StandardCharsets.UTF_8));

        RuntimeBootstrap.Result result = bootstrap(Optional.of(agent)).run(spec(url("/fc/firecracker.tgz"), sum, ""),
                target, progress::add);

        assertThat(result.warnings()).isEmpty();
        Path fc = target.resolve("bin/firecracker");
        assertThat(fc).hasContent("firecracker binary").isExecutable();
        BundleManifest manifest = BundleManifest.read(target);
        assertThat(manifest.bundleVersion()).isEqualTo("9.9");
        assertThat(manifest.entry("firecracker").orElseThrow().sha256()).isEqualTo(sum);
        assertThat(manifest.entry("kernel-vmlinux").orElseThrow().version()).isEqualTo("6.1.0-test");
        assertThat(target.resolve("kernel/vmlinux")).hasContent("staged vmlinux");
        assertThat(target.resolve("bin/banger-agent")).hasContent("agent binary");
        assertThat(Files.getPosixFilePermissions(target.resolve("ssh/id_ed25519")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(target.resolve("ssh/id_ed25519.pub")).content().startsWith("ssh-ed25519 ").contains("banger-runtime");
        assertThat(kernelStagings).hasValue(1);
        assertThat(cache.resolve("downloads").resolve(sum + "-firecracker.tgz")).exists();
        assertThat(RuntimeBundle.at(target).status(Optional.empty()))
                .allSatisfy(s -> assertThat(s.state()).isEqualTo(ArtifactStatus.State.OK));
    }

    @Test
    void rerunKeepsTheSshKeyAndUsesTheCacheInsteadOfTheNetwork() throws IOException {
        String sum = Sha256.of("firecracker binary".getBytes(StandardCharsets.UTF_8));
        BundleSpec spec = spec(url("/fc/firecracker.tgz"), sum, "");
        bootstrap(Optional.of(agent)).run(spec, target, progress::add);
        String key = Files.readString(target.resolve("ssh/id_ed25519"));
        Files.delete(target.resolve("bin/firecracker"));

        bootstrap(Optional.of(agent)).run(spec, target, progress::add);

        assertThat(target.resolve("ssh/id_ed25519")).hasContent(key);
        assertThat(target.resolve("bin/firecracker")).hasContent("firecracker binary");
        assertThat(requests).hasValue(1);
        assertThat(kernelStagings).as("an intact staged kernel is kept").hasValue(1);
    }

    @Test
    void fileSourceIsCopied() throws IOException {
        Path local = Files.writeString(tmp.resolve("firecracker"), "local firecracker");

        bootstrap(Optional.of(agent)).run(spec(local.toUri().toString(), "", ""), target, progress::add);

        assertThat(target.resolve("bin/firecracker")).hasContent("local firecracker");
        assertThat(BundleManifest.read(target).entry("firecracker").orElseThrow().sha256())
                .isEqualTo(Sha256.of(local));
    }

    @Test
    void corruptedDownloadIsDeletedAndNamedWithBothSums() {
        String wrong = "00".repeat(32);
        String actual = Sha256.of("firecracker binary".getBytes(StandardCharsets.UTF_8));
        BundleSpec spec = spec(url("/fc/firecracker.tgz"), wrong, "").withLocalFile("banger-agent", agent);
        BundleSpec required = new BundleSpec(spec.version(), spec.artifacts().stream()
                .map(a -> a.name().equals("firecracker") ? new ArtifactSpec(a.name(), a.version(), a.source(), a.sha256(),
                        "", "", a.path(), false, true, "") : a).toList(), spec.debianKernel());

        assertThatThrownBy(() -> bootstrap(Optional.of(agent)).run(required, target, progress::add))
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("firecracker").hasMessageContaining(wrong).hasMessageContaining(actual);
        assertThat(target.resolve("bin/firecracker")).doesNotExist();
        assertThat(cache.resolve("downloads")).isEmptyDirectory();
    }

    @Test
    void unreachableOrUnpinnedFirecrackerIsAWarningAndTheRestIsInstalled() {
        RuntimeBootstrap.Result unpinned = bootstrap(Optional.of(agent)).run(
                spec("https://example.invalid/firecracker.tgz", "", ""), target, progress::add);

        assertThat(unpinned.warnings()).singleElement().asString()
                .contains("firecracker is missing").contains("--firecracker").contains("QEMU");
        assertThat(BundleManifest.read(target).entry("firecracker")).isEmpty();
        assertThat(target.resolve("kernel/vmlinux")).exists();

        RuntimeBootstrap.Result unreachable = bootstrap(Optional.of(agent)).run(
                spec(url("/missing/firecracker.tgz"), "11".repeat(32), ""), target, progress::add);
        assertThat(unreachable.warnings()).singleElement().asString().contains("HTTP 404");
    }

    @Test
    void firecrackerInstalledEarlierWithTheFirecrackerOptionIsKeptWithoutAWarning() throws IOException {
        Path local = Files.writeString(tmp.resolve("firecracker"), "local firecracker");
        BundleSpec unpinned = spec("https://example.invalid/firecracker.tgz", "", "");
        bootstrap(Optional.of(agent)).run(unpinned.withLocalFile("firecracker", local), target, progress::add);
        progress.clear();

        RuntimeBootstrap.Result rerun = bootstrap(Optional.of(agent)).run(unpinned, target, progress::add);

        assertThat(rerun.warnings()).isEmpty();
        assertThat(progress).filteredOn(line -> line.startsWith("firecracker")).singleElement().asString()
                .contains("kept").contains(local.toUri().toString());
        assertThat(target.resolve("bin/firecracker")).hasContent("local firecracker");
    }

    @Test
    void missingAgentBuildFailsNamingMakeBuild() {
        assertThatThrownBy(() -> bootstrap(Optional.of(tmp.resolve("nope/banger-agent")))
                .run(spec("https://example.invalid/f.tgz", "", ""), target, progress::add))
                .isInstanceOf(RuntimeBundleException.class)
                .hasMessageContaining("banger-agent").hasMessageContaining("make build");
    }

    @Test
    void tgzMemberIsUnpackedFromTheDownload() throws Exception {
        Path release = Files.createDirectories(tmp.resolve("rel/release-v1"));
        Files.writeString(release.resolve("firecracker-v1"), "fc from tgz");
        Path tgz = tmp.resolve("fc.tgz");
        new ProcessHostCommands().run("tar", "-C", tmp.resolve("rel").toString(), "-czf", tgz.toString(), "release-v1");
        BundleSpec spec = BundleSpecLoader.parse("""
                version = "1"
                [[artifact]]
                name = "firecracker"
                source = "%s"
                sha256 = "%s"
                member = "release-v1/firecracker-v1"
                path = "bin/firecracker"
                executable = true
                """.formatted(tgz.toUri(), Sha256.of(tgz)), "test");

        bootstrap(Optional.of(agent)).run(spec, target, progress::add);

        assertThat(target.resolve("bin/firecracker")).hasContent("fc from tgz").isExecutable();
        assertThat(BundleManifest.read(target).entry("firecracker").orElseThrow().sourceSha256()).isEqualTo(Sha256.of(tgz));
    }
}
