package dev.banger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.rpc.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTest {
    private static CreateRun run(CreatePath path, long vmmStartMillis) {
        return CreateRun.of(path, CreateRunTest.T0, CreateRunTest.operation(2, 1, 10, vmmStartMillis, 20_000),
                Duration.ofMillis(200), Duration.ofMillis(800));
    }

    private static List<CreateRun> runs(CreatePath path, long... vmmStart) {
        List<CreateRun> runs = new ArrayList<>();
        for (long millis : vmmStart) {
            runs.add(run(path, millis));
        }
        return runs;
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

        assertThat(report.targets()).extracting(BenchReport.Target::met).containsExactly(false, null, false, true);
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
        assertThat(tree.at("/runs/0/path").asText()).isEqualTo("FAST");
        assertThat(tree.at("/cores").asInt()).isEqualTo(2);
        assertThat(tree.at("/parallelFloor").asDouble()).isEqualTo(1.0);
    }
}
