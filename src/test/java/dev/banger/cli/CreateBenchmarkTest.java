package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.bench.BenchReport;
import dev.banger.bench.CreatePath;
import dev.banger.bench.CreateRun;
import dev.banger.bench.Summary;
import dev.banger.config.BangerPaths;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.ErrorKind;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.SshTarget;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmState;
import dev.banger.model.VmStats;
import dev.banger.rpc.PeerAuthorizer;
import dev.banger.rpc.RpcDispatcher;
import dev.banger.rpc.RpcErrorCodes;
import dev.banger.rpc.RpcException;
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
    record CreateParams(String name, String image, Integer vcpus, Integer memoryMib, Integer diskGib, Boolean slowPath,
            Boolean cold) {}

    record SnapshotParams(String name, Integer vcpus, Integer memoryMib) {}

    record PrepareParams(String image, Integer vcpus, Integer memoryMib, Integer diskGib, Boolean cold) {
        PrepareParams(String image, Integer vcpus, Integer memoryMib, Integer diskGib) {
            this(image, vcpus, memoryMib, diskGib, null);
        }
    }

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
    /** Every method called, in order. */
    private final List<String> methods = Collections.synchronizedList(new ArrayList<>());
    private final List<SnapshotParams> snapshotBegins = Collections.synchronizedList(new ArrayList<>());
    /** Whether image.snapshot.begin refuses as a backend that saves no snapshots does. */
    private volatile boolean cannotSnapshot;
    /** Whether a create that does not ask for a cold boot restores a snapshot. */
    private volatile boolean restores;
    private final Map<String, Boolean> coldByName = new ConcurrentHashMap<>();

    @BeforeEach
    void startDaemon() throws IOException {
        paths = new BangerPaths(dir.resolve("state"), dir.resolve("run"), dir.resolve("cache"), dir.resolve("config.toml"));
        Files.createDirectories(paths.runtimeDir());
        List<RpcMethod<?, ?>> answers = List.of(
                recorded("vm.host.prepare", PrepareParams.class, p -> {
                    prepares.add(p);
                    return new CreateBenchmark.HostReady("banger0", 8, 1);
                }),
                recorded("vm.create.begin", CreateParams.class, p -> {
                    creates.add(p);
                    boolean cold = Boolean.TRUE.equals(p.cold());
                    coldByName.put(p.name(), cold);
                    Operation op = restores && !cold ? restored(p.name())
                            : finished(p.name(), Boolean.TRUE.equals(p.slowPath()), p.name().endsWith(failSuffix));
                    operations.put(op.id(), op);
                    return running(op);
                }),
                recorded("vm.create.status", OperationParams.class, p -> operations.get(p.operationId())),
                recorded("vm.stats", NameParams.class, p -> new VmStats(p.name(), VmState.RUNNING, 1.0, 50.0,
                        (coldByName.get(p.name()) ? 500L : 300L) << 20, 1024, 8L << 30, 1L << 30, 2L)),
                recorded("vm.ssh", NameParams.class, p -> new SshTarget(p.name(), "172.16.0.2", 22, "root",
                        "-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n",
                        List.of("172.16.0.2 ssh-ed25519 AAAAkey"))),
                recorded("vm.delete", NamesParams.class, p -> {
                    deleted.addAll(p.names());
                    return new VmDeleteResult(p.names().stream().map(n -> new VmDeleteResult.Outcome(n, true, null, null)).toList());
                }),
                RpcMethod.withoutParams("image.list", c -> {
                    methods.add("image.list");
                    return new ImageListCommand.ImageList(List.of(FakeVmDaemon.image("other", false),
                            FakeVmDaemon.image("deb12", true)));
                }),
                recorded("image.snapshot.begin", SnapshotParams.class, p -> {
                    snapshotBegins.add(p);
                    if (cannotSnapshot) {
                        throw new RpcException(RpcErrorCodes.INTERNAL_ERROR, ErrorKind.PRECONDITION_FAILED,
                                "the firecracker backend saves no snapshots", null);
                    }
                    return Map.of("operationId", "op-snap");
                }),
                recorded("image.snapshot.status", OperationParams.class, p -> snapshotMade()));
        String group = Files.getAttribute(dir, "posix:group").toString();
        server = RpcServer.start(paths.socket(), new RpcDispatcher(answers), new PeerAuthorizer(group, user -> Set.of()));
    }

    private <P, R> RpcMethod<P, R> recorded(String name, Class<P> type, java.util.function.Function<P, R> answer) {
        return RpcMethod.of(name, type, (params, context) -> {
            methods.add(name);
            return answer.apply(params);
        });
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

    /** A create restored from a snapshot: validate 1 ms, restore 100 ms, identity 10 ms, sshd 200 ms; vmm-start and boot skipped. */
    private static Operation restored(String name) {
        Instant start = Instant.now();
        List<Stage> stages = List.of(
                new Stage("validate", 0, StageState.SUCCEEDED, start, start.plusMillis(1), null),
                new Stage("restore", 1, StageState.SUCCEEDED, start.plusMillis(1), start.plusMillis(101), null),
                new Stage("identity", 2, StageState.SUCCEEDED, start.plusMillis(101), start.plusMillis(111), null),
                new Stage("vmm-start", 3, StageState.SKIPPED, null, null, null),
                new Stage("boot", 4, StageState.SKIPPED, null, null, null),
                new Stage("sshd", 5, StageState.SUCCEEDED, start.plusMillis(111), start.plusMillis(311), null));
        return new Operation("op-" + name, OperationKind.VM_CREATE, name, OperationState.SUCCEEDED, null, start,
                start.plusMillis(311), stages);
    }

    private static Operation snapshotMade() {
        Instant start = Instant.parse("2026-12-05T10:00:00Z");
        List<Stage> stages = new ArrayList<>();
        List<String> names = List.of("prepare", "boot", "save", "freeze");
        for (int k = 0; k < names.size(); k++) {
            stages.add(new Stage(names.get(k), k, StageState.SUCCEEDED, start.plusSeconds(k), start.plusSeconds(k + 1), null));
        }
        return new Operation("op-snap", OperationKind.IMAGE_SNAPSHOT, "deb12", OperationState.SUCCEEDED, null, start,
                start.plusSeconds(4), stages);
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
        BenchReport report = benchmark().run(new CreateBenchmark.Settings("default", 2, 2, true, false, 1, 512, 2, 0));

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
        assertThat(prepares).hasSize(8).extracting(p -> new PrepareParams(p.image(), p.vcpus(), p.memoryMib(), p.diskGib()))
                .containsOnly(new PrepareParams("default", 1, 512, 2));
        // The slow path's batches ask for machines that boot: a snapshot's restored ones are the fast path's.
        assertThat(prepares.stream().map(p -> Boolean.TRUE.equals(p.cold())).toList())
                .containsExactly(false, false, false, true, false, false, true, false);
        assertThat(methods).doesNotContain("image.snapshot.begin");
        assertThat(creates).allSatisfy(c -> assertThat(c.cold()).isNull());
    }

    @Test
    void compareColdMakesTheSnapshotFirstThenAlternatesRestoredAndColdCreatesAndComparesThem() {
        restores = true;

        BenchReport report = benchmark().run(new CreateBenchmark.Settings(null, 2, 2, false, true, 2, 1024, null, 0));

        // The default image's snapshot of the shape, made and waited for before any create.
        assertThat(snapshotBegins).containsExactly(new SnapshotParams("deb12", 2, 1024));
        assertThat(methods.indexOf("image.snapshot.status")).isLessThan(methods.indexOf("vm.create.begin"))
                .isGreaterThan(methods.indexOf("image.snapshot.begin"));
        assertThat(progress.toString())
                .contains("snapshot: making the snapshot of image 'deb12' (2 vCPU, 1024 MiB) before measuring")
                .contains("✓ freeze").contains("snapshot: saved in 4000 ms");
        // Warm-up, then per run a restoring batch of two, a cold batch of two and one restoring create alone.
        List<Boolean> cold = creates.stream().map(c -> Boolean.TRUE.equals(c.cold())).toList();
        assertThat(cold).containsExactly(false, false, false, true, true, false, false, false, true, true, false);
        // Each batch meets the warm machines of its kind: restored ones for the snapshot path, booting ones for the cold path.
        assertThat(prepares.stream().map(p -> Boolean.TRUE.equals(p.cold())).toList())
                .containsExactly(false, false, false, true, false, false, true, false);
        assertThat(report.runs()).filteredOn(r -> r.path() == CreatePath.COLD).hasSize(4).noneMatch(CreateRun::restored);
        assertThat(report.runs()).filteredOn(r -> r.path() == CreatePath.FAST).hasSize(6).allMatch(CreateRun::restored);

        double coldP50 = Summary.of(report.runs().stream().filter(r -> r.path() == CreatePath.COLD).map(CreateRun::create).toList()).p50();
        double snapshotP50 = Summary.of(report.runs().stream().filter(r -> r.path() == CreatePath.FAST).map(CreateRun::create).toList()).p50();
        assertThat(report.coldOverSnapshot().get("create")).isEqualTo(coldP50 / snapshotP50);
        Map<String, BenchReport.Target> targets = new java.util.HashMap<>();
        report.targets().forEach(t -> targets.put(t.name(), t));
        assertThat(targets.get("create → SSH p50, restored from a snapshot").met()).isEqualTo(snapshotP50 < 1000).isTrue();
        assertThat(targets.get("cold boot vs snapshot, create → SSH p50").met()).isEqualTo(coldP50 / snapshotP50 >= 15).isFalse();
        assertThat(report.targets()).filteredOn(t -> t.name().startsWith("snapshot path, parallel")).singleElement()
                .satisfies(t -> assertThat(t.measured()).isEqualTo(Summary.of(report.batches()).p50() / Summary.of(report.solo()).p50()));
        assertThat(report.rssP50Bytes()).containsEntry("fast", 300L << 20).containsEntry("cold", 500L << 20);
        assertThat(progress.toString()).containsPattern("fast bench-[0-9a-f]{6}-2 \\(restored\\): .*, VMM RSS 300 MiB")
                .containsPattern("cold bench-[0-9a-f]{6}-\\d+: .*, VMM RSS 500 MiB");
        assertThat(report.text()).contains("cold/snapshot (p50)").contains("MISSED");
    }

    @Test
    void whereTheDaemonCannotSnapshotCompareColdSaysSoAndMeasuresOnlyColdBoots() {
        cannotSnapshot = true;
        restores = true;

        BenchReport report = benchmark().run(new CreateBenchmark.Settings("default", 2, 1, false, true, null, null, null, 0));

        assertThat(snapshotBegins).containsExactly(new SnapshotParams("default", null, null));
        assertThat(methods).doesNotContain("image.list", "image.snapshot.status");
        assertThat(progress.toString()).contains("snapshot: image 'default' cannot be snapshotted here"
                + " (the firecracker backend saves no snapshots); measuring only the cold path");
        assertThat(creates).hasSize(2).allSatisfy(c -> assertThat(c.cold()).isTrue());
        assertThat(report.summary(CreatePath.FAST)).isEmpty();
        assertThat(report.summary(CreatePath.COLD).get("boot").n()).isEqualTo(2);
        assertThat(report.targets()).filteredOn(t -> t.name().contains("snapshot")).allSatisfy(t -> assertThat(t.measured()).isNull());
    }

    @Test
    void aFailedCreateStopsTheBenchmarkNamingTheVmAndTheDaemonIsAskedToDeleteIt() {
        failSuffix = "-1";

        assertThatThrownBy(() -> benchmark().run(new CreateBenchmark.Settings(null, 1, 1, false, false, null, null, null, 0)))
                .isInstanceOf(CreateBenchmark.BenchmarkException.class)
                .hasMessageContaining("fast create of " + creates.getFirst().name() + " failed: the agent never answered");

        assertThat(creates).hasSize(1);
        assertThat(creates.getFirst().image()).isNull();
        assertThat(deleted).containsExactly(creates.getFirst().name());
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aBatchGivesEachLoginMoreTimeTheMoreGuestsShareTheHost() {
        assertThat(CreateBenchmark.sshDeadline(1)).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(CreateBenchmark.sshDeadline(2)).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(CreateBenchmark.sshDeadline(8)).isEqualTo(java.time.Duration.ofMinutes(4));
    }
}
