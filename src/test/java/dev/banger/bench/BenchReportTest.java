package dev.banger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.banger.rpc.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static CreateRun run(CreatePath path, long vmmStartMillis) {
        return CreateRun.of(path, CreateRunTest.T0, CreateRunTest.operation(2, 1, 10, vmmStartMillis, 20_000),
                Duration.ofMillis(200), Duration.ofMillis(800), null);
    }

    private static List<CreateRun> runs(CreatePath path, long... vmmStart) {
        List<CreateRun> runs = new ArrayList<>();
        for (long millis : vmmStart) {
            runs.add(run(path, millis));
        }
        return runs;
    }

    /** A fast-path create restored from a snapshot whose sshd stage took {@code sshdMillis}, its VMM holding {@code rssMib}. */
    private static CreateRun restoredRun(long sshdMillis, long rssMib) {
        return CreateRun.of(CreatePath.FAST, CreateRunTest.T0, CreateRunTest.restored(2, 1, 5, 90, 10, sshdMillis),
                Duration.ofMillis(150), Duration.ofMillis(600), rssMib << 20);
    }

    /** A cold boot: vmm-start 40 ms, then {@code bootMillis} of boot. */
    private static CreateRun coldRun(long bootMillis, long rssMib) {
        return CreateRun.of(CreatePath.COLD, CreateRunTest.T0, CreateRunTest.operation(2, 1, 10, 40, bootMillis),
                Duration.ofMillis(150), Duration.ofMillis(600), rssMib << 20);
    }

    private static double p50(List<CreateRun> runs, java.util.function.ToDoubleFunction<CreateRun> figure) {
        return Summary.of(runs.stream().map(r -> figure.applyAsDouble(r)).toList()).p50();
    }

    private static BenchReport.Target target(BenchReport report, String prefix) {
        return report.targets().stream().filter(t -> t.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void coldBootsAreComparedWithTheRestoredCreatesAndDecideTheSnapshotTargets() {
        List<CreateRun> snapshot = List.of(restoredRun(300, 280), restoredRun(500, 300), restoredRun(400, 290));
        List<CreateRun> cold = List.of(coldRun(19_000, 500), coldRun(21_000, 520), coldRun(20_000, 510));
        List<CreateRun> all = new ArrayList<>(snapshot);
        all.addAll(cold);

        BenchReport report = new BenchReport(all, 1, 2, List.of(), List.of(), List.of());

        double snapshotCreate = p50(snapshot, CreateRun::create);
        double coldCreate = p50(cold, CreateRun::create);
        assertThat(report.snapshotSummary().get("create").p50()).isEqualTo(snapshotCreate);
        assertThat(report.coldOverSnapshot().get("create")).isEqualTo(coldCreate / snapshotCreate);
        assertThat(report.coldOverSnapshot()).doesNotContainKeys("restore", "boot");
        BenchReport.Target fromSnapshot = target(report, "create → SSH p50, restored");
        assertThat(fromSnapshot.measured()).isEqualTo(snapshotCreate);
        assertThat(fromSnapshot.met()).isEqualTo(snapshotCreate < BenchReport.SNAPSHOT_CREATE_P50_TARGET);
        BenchReport.Target ratio = target(report, "cold boot vs snapshot");
        assertThat(ratio.measured()).isEqualTo(coldCreate / snapshotCreate);
        assertThat(ratio.met()).isEqualTo(coldCreate / snapshotCreate >= BenchReport.COLD_OVER_SNAPSHOT_TARGET);
        assertThat(target(report, "snapshot path, parallel").met()).isNull();
        BenchReport.Target hostSide = target(report, "host-side overhead p50");
        assertThat(hostSide.name()).as("the warm machines went to the cold boots").isEqualTo("host-side overhead p50 (cold path)");
        assertThat(hostSide.measured()).isEqualTo(report.summary(CreatePath.COLD).get(BenchReport.HOST_SIDE).p50());
        assertThat(report.text())
                .contains("fast path, 3 runs (restored from a snapshot)")
                .contains("cold path, 3 runs (kernel booted, even where a snapshot exists)")
                .contains("cold/snapshot (p50)")
                .contains(BenchReport.ms(snapshotCreate) + "  " + (fromSnapshot.met() ? "met" : "MISSED"));
    }

    @Test
    void theVmmsResidentMemoryIsReportedAsTheP50OfEachPath() throws Exception {
        List<CreateRun> all = List.of(restoredRun(300, 280), restoredRun(300, 300), restoredRun(300, 290),
                coldRun(20_000, 500), coldRun(20_000, 520));

        BenchReport report = new BenchReport(all, 1, 2, List.of(), List.of(), List.of());

        long fast = (long) Summary.of(List.of(280.0, 300.0, 290.0)).p50() << 20;
        long cold = (long) Summary.of(List.of(500.0, 520.0)).p50() << 20;
        assertThat(report.rssP50Bytes()).containsExactly(entry("fast", fast), entry("cold", cold));
        assertThat(report.text()).containsPattern("VMM RSS after the create \\(p50\\) +" + (fast >> 20) + " MiB")
                .containsPattern("VMM RSS after the create \\(p50\\) +" + (cold >> 20) + " MiB");
        var tree = Json.mapper().readTree(Json.mapper().writeValueAsString(report.json()));
        assertThat(tree.at("/vmmRssP50Bytes/cold").asLong()).isEqualTo(cold);
        assertThat(tree.at("/snapshot/create/p50").asDouble()).isEqualTo(report.snapshotSummary().get("create").p50());
        assertThat(new BenchReport(runs(CreatePath.FAST, 30), 1, 2, List.of(), List.of(), List.of()).rssP50Bytes()).isEmpty();
    }

    @Test
    void theSnapshotPathsParallelBatchesAreJudgedAgainstTheFloor() {
        List<CreateRun> snapshot = List.of(restoredRun(300, 280), restoredRun(300, 280));
        // 8 creates on 2 cores: the floor is 4×, the target 1.5 times that.
        BenchReport within = new BenchReport(snapshot, 8, 2, List.of(500.0, 560.0), List.of(100.0, 100.0), List.of());
        BenchReport beyond = new BenchReport(snapshot, 8, 2, List.of(700.0, 650.0), List.of(100.0, 100.0), List.of());
        BenchReport booted = new BenchReport(runs(CreatePath.FAST, 40, 40), 8, 2, List.of(500.0), List.of(100.0), List.of());

        double limit = BenchReport.SNAPSHOT_PARALLEL_OVER_FLOOR_TARGET * within.parallelFloor();
        for (BenchReport report : List.of(within, beyond)) {
            double ratio = Summary.of(report.batches()).p50() / Summary.of(report.solo()).p50();
            BenchReport.Target target = target(report, "snapshot path, parallel");
            assertThat(target.measured()).isEqualTo(ratio);
            assertThat(target.met()).isEqualTo(ratio <= limit);
            assertThat(target.limit()).isEqualTo("<= " + BenchReport.times(limit));
        }
        assertThat(target(within, "snapshot path, parallel").met()).isTrue();
        assertThat(target(beyond, "snapshot path, parallel").met()).isFalse();
        assertThat(target(booted, "snapshot path, parallel").measured()).isNull();
    }

    @Test
    void aFastPathThatOnlySometimesRestoredSaysSoAndItsStagesKeepPipelineOrder() {
        CreateRun booted = CreateRun.of(CreatePath.FAST, CreateRunTest.T0, CreateRunTest.operation(2, 1, 10, 40, 20_000, 300),
                Duration.ZERO, Duration.ZERO, null);
        List<CreateRun> mixed = List.of(restoredRun(300, 280), booted);

        BenchReport report = new BenchReport(mixed, 1, 2, List.of(), List.of(), List.of());

        assertThat(BenchReport.stageNames(mixed)).containsExactly("validate", "allocate", "restore", "identity", "vmm-start",
                "boot", "sshd");
        assertThat(report.summary(CreatePath.FAST).get("restore").n()).isEqualTo(1);
        assertThat(report.summary(CreatePath.FAST).get("boot").n()).isEqualTo(1);
        assertThat(report.snapshotSummary().get("create").n()).isEqualTo(1);
        assertThat(report.text()).contains("fast path, 2 runs (1 of 2 restored from a snapshot; the snapshot figures are theirs)");
        assertThat(target(report, "snapshot path, parallel").measured()).isNull();
    }

    @Test
    void eachPathIsSummarisedStageByStageThenTheOverallFigures() {
        BenchReport report = new BenchReport(runs(CreatePath.FAST, 30, 50, 40), 1, 2, List.of(), List.of(), List.of());

        Map<String, Summary> fast = report.summary(CreatePath.FAST);

        assertThat(fast.keySet()).containsExactly("validate", "allocate", "vmm-start", "boot", "host-side", "banger-side", "create",
                "ssh-command", "delete", "total");
        assertThat(fast.get("vmm-start")).isEqualTo(new Summary(3, 40, 50, 50));
        assertThat(fast.get("host-side")).isEqualTo(new Summary(3, 53, 63, 63));
        assertThat(fast.get("banger-side")).isEqualTo(new Summary(3, 13, 13, 13));
        assertThat(report.summary(CreatePath.SLOW)).isEmpty();
        assertThat(report.slowOverFast()).isEmpty();
    }

    @Test
    void theSlowPathIsComparedFigureByFigureAndDecidesTheSpeedUpTarget() {
        List<CreateRun> all = new ArrayList<>(runs(CreatePath.FAST, 37, 37));
        all.addAll(runs(CreatePath.SLOW, 487, 487));

        BenchReport report = new BenchReport(all, 1, 2, List.of(), List.of(), List.of());

        assertThat(report.slowOverFast().get("vmm-start")).isEqualTo(487.0 / 37);
        assertThat(report.slowOverFast().get("host-side")).isEqualTo(500.0 / 50);
        assertThat(report.targets()).filteredOn(t -> t.name().startsWith("fast path"))
                .singleElement().satisfies(t -> {
                    assertThat(t.measured()).isEqualTo(10.0);
                    assertThat(t.met()).isTrue();
                });
    }

    @Test
    void targetsAreJudgedOnlyOnWhatWasMeasured() {
        BenchReport report = new BenchReport(runs(CreatePath.FAST, 120), 8, 2, List.of(300.0), List.of(140.0), List.of(90.0, 200.0, 100.0));

        assertThat(report.targets()).extracting(BenchReport.Target::met).containsExactly(false, null, false, true, null, null, null);
        assertThat(report.targets().get(2).measured()).isEqualTo(300.0 / 140);
        assertThat(report.text())
                .contains("host-side (request → VMM started)")
                .contains("133.0 ms  MISSED")
                .contains("not measured")
                .contains("CLI round trip (banger vm list, 3 runs): p50 100.0 ms");
    }

    @Test
    void theParallelFloorIsTheBatchSharedOutOverTheCores() {
        BenchReport twoCores = new BenchReport(runs(CreatePath.FAST, 10), 8, 2, List.of(45.0), List.of(10.0), List.of());
        BenchReport manyCores = new BenchReport(runs(CreatePath.FAST, 10), 8, 32, List.of(15.0), List.of(10.0), List.of());

        assertThat(twoCores.parallelFloor()).isEqualTo(4.0);
        assertThat(manyCores.parallelFloor()).isEqualTo(1.0);
        assertThat(twoCores.text()).contains("on 2 cores, 8 creates that each keep a core busy take at least 4.0× one");
        assertThat(new BenchReport(runs(CreatePath.FAST, 10), 1, 2, List.of(), List.of(), List.of()).text()).doesNotContain("keep a core busy");
        assertThatThrownBy(() -> new BenchReport(List.of(), 8, 0, List.of(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cores");
    }

    @Test
    void theJsonFormCarriesTheSummariesTargetsAndRawRuns() throws Exception {
        BenchReport report = new BenchReport(runs(CreatePath.FAST, 30), 1, 2, List.of(), List.of(), List.of());

        String json = Json.mapper().writeValueAsString(report.json());

        assertThat(json).doesNotContain("\n");
        var tree = Json.mapper().readTree(json);
        assertThat(tree.at("/fast/host-side/p50").asDouble()).isEqualTo(43.0);
        assertThat(tree.at("/targets/0/met").asBoolean()).isTrue();
        assertThat(tree.at("/runs/0/path").asText()).isEqualTo("fast");
        assertThat(tree.at("/cores").asInt()).isEqualTo(2);
        assertThat(tree.at("/parallelFloor").asDouble()).isEqualTo(1.0);
    }
}
