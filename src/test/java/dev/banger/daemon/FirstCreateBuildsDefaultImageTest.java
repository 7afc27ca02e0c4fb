package dev.banger.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.image.FakeImageBuilder;
import dev.banger.image.ImageCatalog;
import dev.banger.model.VmState;
import dev.banger.rpc.PeerAuthorizer;
import dev.banger.rpc.RpcDispatcher;
import dev.banger.rpc.RpcMethod;
import dev.banger.rpc.RpcServer;
import dev.banger.vm.VmFixture;
import dev.banger.vm.VmService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first {@code banger vm create} on a fresh install: the real CLI, in processes of its own,
 * against the daemon's real image and VM methods on a real socket, with an image builder that
 * makes small real images (debootstrap needs a mirror the test cannot reach) and a fake VMM.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FirstCreateBuildsDefaultImageTest {
    private static final String DEFAULT = "default";

    @TempDir
    Path dir;

    private VmFixture host;
    private BangerSandbox sandbox;
    private RpcServer server;
    private OperationRunner runner;
    private final CountDownLatch buildHeld = new CountDownLatch(1);
    private final FakeImageBuilder builder = FakeImageBuilder.holdingUntil(buildHeld);
    /** Counted down by every answered {@code image.default.ensure}. */
    private CountDownLatch ensured;

    @BeforeEach
    void setUp() throws Exception {
        host = new VmFixture(dir.resolve("host"));
        sandbox = new BangerSandbox(dir.resolve("cli"));
        ensured = new CountDownLatch(2);
    }

    @AfterEach
    void tearDown() {
        buildHeld.countDown();
        if (server != null) {
            server.close(Duration.ofSeconds(2));
        }
        if (runner != null) {
            runner.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private void serve(String configuredDefault) throws Exception {
        ImageCatalog catalog = new ImageCatalog(host.stateDir, host.store.images(), new ProcessHostCommands(),
                List.of(builder), Clock.systemUTC());
        runner = new OperationRunner(host.store.operations());
        VmService vms = host.service(VmFixture.QUICK, configuredDefault);
        List<RpcMethod<?, ?>> methods = new ArrayList<>();
        for (RpcMethod<?, ?> method : new ImageMethods(catalog, host.store.images(), host.store.operations(), runner,
                null, image -> { }, () -> configuredDefault, image -> List.of()).methods()) {
            methods.add(method.name().equals("image.default.ensure") ? counted(method) : method);
        }
        methods.addAll(new VmMethods(vms, null, host.store.operations(), runner).methods());
        Files.createDirectories(sandbox.paths().runtimeDir());
        String group = Files.getAttribute(dir, "posix:group").toString();
        server = RpcServer.start(sandbox.paths().socket(), new RpcDispatcher(methods), new PeerAuthorizer(group, user -> Set.of()));
    }

    private <P, R> RpcMethod<P, R> counted(RpcMethod<P, R> method) {
        return RpcMethod.of(method.name(), method.paramsType(), (params, context) -> {
            try {
                return method.handler().handle(params, context);
            } finally {
                ensured.countDown();
            }
        });
    }

    @Test
    void twoFirstCreatesAtOnceStartOneImageBuildAndThenBothCreate() throws Exception {
        serve(DEFAULT);

        CommandResult a;
        CommandResult b;
        try (ExecutorService clis = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<CommandResult> first = clis.submit(() -> sandbox.cli("vm", "create", "first-a"));
            Future<CommandResult> second = clis.submit(() -> sandbox.cli("vm", "create", "first-b"));
            // The build is held until both creates have asked for the image, so one must join the other's build.
            assertThat(ensured.await(60, TimeUnit.SECONDS)).as("both creates asked for the missing image").isTrue();
            buildHeld.countDown();
            a = first.get(90, TimeUnit.SECONDS);
            b = second.get(90, TimeUnit.SECONDS);
        }

        assertThat(a.exitCode()).as(a.stdout() + a.stderr()).isZero();
        assertThat(b.exitCode()).as(b.stdout() + b.stderr()).isZero();
        assertThat(builder.builds()).as("one image build for two first creates").isEqualTo(1);
        assertThat(host.store.images().find(DEFAULT)).isPresent();
        assertThat(List.of(host.store.vms().get("first-a").state(), host.store.vms().get("first-b").state()))
                .containsOnly(VmState.RUNNING);
        String both = a.stdout() + b.stdout();
        assertThat(both).contains("image 'default' does not exist yet; building it first")
                .contains("image 'default' is being built; waiting for that build");
        for (CommandResult run : List.of(a, b)) {
            assertThat(run.stdout()).as("the build's stages are shown live, then the create's")
                    .containsSubsequence("✓ tree", "✓ seal", "built image 'default'", "✓ allocate", "created first-");
        }
    }

    @Test
    void noBuildRefusesNamingTheCommandAndBuildsNothing() throws Exception {
        serve(DEFAULT);
        buildHeld.countDown();

        CommandResult refused = sandbox.cli("vm", "create", "--no-build", "dev1");

        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.stderr()).contains("no default image 'default'").contains("banger image build");
        assertThat(builder.builds()).isZero();
        assertThat(host.store.images().find(DEFAULT)).isEmpty();
        assertThat(host.store.vms().find("dev1")).isEmpty();
    }

    @Test
    void anImageOtherThanTheConfiguredDefaultIsNeverBuiltOnCreate() throws Exception {
        serve(DEFAULT);
        buildHeld.countDown();

        CommandResult refused = sandbox.cli("vm", "create", "--image", "other", "dev1");

        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.stderr()).contains("image 'other' does not exist").contains("banger image build --name other");
        assertThat(builder.builds()).isZero();
        assertThat(host.store.vms().find("dev1")).isEmpty();
    }

    @Test
    void aFailedBuildFailsTheCreateAndTheNextCreateBuildsAgain() throws Exception {
        serve(DEFAULT);
        buildHeld.countDown();
        builder.failAt("seal");

        CommandResult failed = sandbox.cli("vm", "create", "dev1");

        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.stderr()).contains("the fake builder fails at seal");
        assertThat(host.store.images().find(DEFAULT)).isEmpty();
        assertThat(host.store.vms().find("dev1")).isEmpty();

        builder.failAt(null);
        CommandResult created = sandbox.cli("vm", "create", "dev1");

        assertThat(created.exitCode()).as(created.stdout() + created.stderr()).isZero();
        assertThat(builder.builds()).isEqualTo(2);
        assertThat(host.store.vms().get("dev1").state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void aBrokenImageIsNotRebuiltBehindTheUsersBack() throws Exception {
        serve("test-image");
        buildHeld.countDown();
        Files.delete(host.store.images().get("test-image").rootfs());
        new ImageCatalog(host.stateDir, host.store.images(), new ProcessHostCommands(), List.of(builder), Clock.systemUTC())
                .reconcile("test-image");

        CommandResult refused = sandbox.cli("vm", "create", "dev1");

        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.stderr()).contains("needs a rebuild");
        assertThat(builder.builds()).isZero();
    }
}
