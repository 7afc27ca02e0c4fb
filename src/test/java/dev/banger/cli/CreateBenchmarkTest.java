package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.bench.BenchReport;
import dev.banger.bench.CreatePath;
import dev.banger.config.BangerPaths;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.SshTarget;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import dev.banger.model.VmDeleteResult;
import dev.banger.rpc.PeerAuthorizer;
import dev.banger.rpc.RpcDispatcher;
import dev.banger.rpc.RpcMethod;
import dev.banger.rpc.RpcServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CreateBenchmark} against a stand-in daemon whose creates finish at once with fixed stage times. */
class CreateBenchmarkTest {
    record CreateParams(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, Boolean slowPath) {}

    record PrepareParams(String image, Integer vcpus, Integer memoryMib, Integer diskGib) {}

    record NameParams(String name) {}

    record NamesParams(List<String> names) {}

    record OperationParams(String operationId) {}

    @TempDir
    Path dir;

    private RpcServer server;
    private BangerPaths paths;
    private final List<CreateParams> creates = Collections.synchronizedList(new ArrayList<>());
    private final List<PrepareParams> prepares = Collections.synchronizedList(new ArrayList<>());
    private final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Operation> operations = new ConcurrentHashMap<>();
    private final RecordingHostCommands host = new RecordingHostCommands();
    private final StringWriter progress = new StringWriter();
    private volatile String failSuffix = "none";

    @BeforeEach
    void startDaemon() throws IOException {
        paths = new BangerPaths(dir.resolve("state"), dir.resolve("run"), dir.resolve("cache"), dir.resolve("config.toml"));
        Files.createDirectories(paths.runtimeDir());
        List<RpcMethod<?, ?>> methods = List.of(
                RpcMethod.of("vm.host.prepare", PrepareParams.class, (p, c) -> {
                    prepares.add(p);
                    return new CreateBenchmark.HostReady("banger0", 8, 1);
                }),
                RpcMethod.of("vm.create.begin", CreateParams.class, (p, c) -> {
                    creates.add(p);
                    Operation op = finished(p.name(), Boolean.TRUE.equals(p.slowPath()), p.name().endsWith(failSuffix));
                    operations.put(op.id(), op);
                    return running(op);
                }),
                RpcMethod.of("vm.create.status", OperationParams.class, (p, c) -> operations.get(p.operationId())),
                RpcMethod.of("vm.ssh", NameParams.class, (p, c) -> new SshTarget(p.name(), "172.16.0.2", 22, "root",
                        "-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n",
                        List.of("172.16.0.2 ssh-ed25519 AAAAkey"))),
                RpcMethod.of("vm.delete", NamesParams.class, (p, c) -> {
                    deleted.addAll(p.names());
                    return new VmDeleteResult(p.names().stream().map(n -> new VmDeleteResult.Outcome(n, true, null, null)).toList());
                }));
        String group = Files.getAttribute(dir, "posix:group").toString();
        server = RpcServer.start(paths.socket(), new RpcDispatcher(methods), new PeerAuthorizer(group, user -> Set.of()));
    }

    @AfterEach
    void stopDaemon() {
        server.close();
    }

    /** A create that ran validate (1 ms) and vmm-start (40 ms, or 400 ms on the slow path) and then booted for 2 s. */
    private static Operation finished(String name, boolean slow, boolean fails) {
        Instant start = Instant.now();
        long vmm = slow ? 400 : 40;
        List<Stage> stages = List.of(
                new Stage("validate", 0, StageState.SUCCEEDED, start, start.plusMillis(1), null),
                new Stage("vmm-start", 1, StageState.SUCCEEDED, start.plusMillis(1), start.plusMillis(1 + vmm), null),
                new Stage("boot", 2, fails ? StageState.FAILED : StageState.SUCCEEDED, start.plusMillis(1 + vmm),
                        start.plusMillis(2001 + vmm), fails ? "no agent" : null));
        return new Operation("op-" + name, OperationKind.VM_CREATE, name, fails ? OperationState.FAILED : OperationState.SUCCEEDED,
                fails ? "the agent never answered" : null, start, start.plusMillis(2001 + vmm), stages);
    }

    private static Operation running(Operation done) {
        return new Operation(done.id(), done.kind(), done.target(), OperationState.RUNNING, null, done.startedAt(), null,
                done.stages());
    }

    private CreateBenchmark benchmark() {
        return new CreateBenchmark(() -> dev.banger.rpc.RpcClient.connect(paths.socket()), host, dir.resolve("keys"), Optional.empty(),
                new PrintWriter(progress));
    }

    @Test
    void fastAndSlowBatchesAlternateEachVmIsReachedOverSshAndDeleted() {
        BenchReport report = benchmark().run(new CreateBenchmark.Settings("default", 2, 2, true, 1, 512, 2, 0));

        // One uncounted warm-up, then two runs of a fast and a slow batch of two and one create alone as the baseline.
        assertThat(creates).hasSize(11);
        assertThat(creates.stream().filter(c -> Boolean.TRUE.equals(c.slowPath()))).hasSize(4);
        assertThat(creates).allSatisfy(c -> {
            assertThat(c.image()).isEqualTo("default");
            assertThat(c.vcpus()).isEqualTo(1);
            assertThat(c.memoryMib()).isEqualTo(512);
            assertThat(c.diskGib()).isEqualTo(2);
        });
        List<String> names = creates.stream().map(CreateParams::name).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("bench-[0-9a-f]{6}-[0-9]+"));
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(names);
        assertThat(host.recorded()).hasSize(11).allSatisfy(argv -> {
            assertThat(argv.getFirst()).isEqualTo("ssh");
            assertThat(argv.getLast()).isEqualTo("true");
            assertThat(argv).contains("root@172.16.0.2");
        });
        assertThat(report.runs()).hasSize(10).filteredOn(r -> r.path() == CreatePath.SLOW).hasSize(4);
        assertThat(report.batches()).hasSize(2);
        assertThat(report.solo()).hasSize(2);
        assertThat(report.summary(CreatePath.FAST).get("vmm-start").p50()).isEqualTo(40.0);
        assertThat(progress.toString()).startsWith("host network ready: bridge banger0, 8 warm TAP(s), 1 warm machine(s)")
                .contains("warm-up: one create, not counted");
        // Once at the start, then before the warm-up and each of the six measured batches: every one meets full pools.
        assertThat(prepares).hasSize(8).containsOnly(new PrepareParams("default", 1, 512, 2));
    }

    @Test
    void aFailedCreateStopsTheBenchmarkNamingTheVmAndTheDaemonIsAskedToDeleteIt() {
        failSuffix = "-1";

        assertThatThrownBy(() -> benchmark().run(new CreateBenchmark.Settings(null, 1, 1, false, null, null, null, 0)))
                .isInstanceOf(CreateBenchmark.BenchmarkException.class)
                .hasMessageContaining("fast create of " + creates.getFirst().name() + " failed: the agent never answered");

        assertThat(creates).hasSize(1);
        assertThat(creates.getFirst().image()).isNull();
        assertThat(deleted).containsExactly(creates.getFirst().name());
        assertThat(host.recorded()).isEmpty();
    }
}
