package dev.banger.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What {@code banger bench create} measured, and what follows from it: per path, p50/p95/max of
 * every stage and of the host-side, create, SSH, delete and total figures, and the VMM's resident
 * memory; the slow/fast and cold/snapshot ratios figure by figure; the parallel batches against a
 * solo create; the CLI round trip; and each target with its verdict. The snapshot figures are
 * those of the fast-path creates that restored a golden snapshot. Pure; immutable value.
 *
 * @param runs         every successful run, of every path
 * @param parallel     creates per batch
 * @param cores        the host's cores as the benchmark saw them, for the floor a batch of creates that keep a core busy meets
 * @param batches      host-side wall time of each parallel batch (first request → last VMM started); empty when parallel is 1
 * @param solo         host-side time of the solo creates measured as the baseline for the batches; empty when parallel is 1
 * @param cliRoundTrip wall time of each {@code banger vm list} process; empty when not measured
 */
public record BenchReport(List<CreateRun> runs, int parallel, int cores, List<Double> batches, List<Double> solo,
        List<Double> cliRoundTrip) {
    /** Host-side overhead p50 with a warm pool and a seeded image, in ms. */
    public static final double HOST_SIDE_P50_TARGET = 100;
    /** Fast path at least this many times faster than the slow path on the host-side total. */
    public static final double FAST_OVER_SLOW_TARGET = 5;
    /** A parallel batch's host-side wall time at most this multiple of one create's. */
    public static final double PARALLEL_TARGET = 2;
    /** {@code banger vm list} round trip p50, in ms. */
    public static final double CLI_P50_TARGET = 150;
    /** Create → SSH answering p50 of a create restored from a snapshot, in ms. */
    public static final double SNAPSHOT_CREATE_P50_TARGET = 1000;
    /** A cold boot's create → SSH p50 at least this many times a restored one's. */
    public static final double COLD_OVER_SNAPSHOT_TARGET = 15;
    /** The snapshot path's parallel batches at most this multiple of the floor the cores allow. */
    public static final double SNAPSHOT_PARALLEL_OVER_FLOOR_TARGET = 1.5;

    static final String HOST_SIDE = "host-side";
    static final String BANGER_SIDE = "banger-side";
    static final String CREATE = "create";
    static final String SSH_COMMAND = "ssh-command";
    static final String DELETE = "delete";
    static final String TOTAL = "total";

    public BenchReport {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1, got " + cores);
        }
        runs = List.copyOf(runs);
        batches = List.copyOf(batches);
        solo = List.copyOf(solo);
        cliRoundTrip = List.copyOf(cliRoundTrip);
    }

    /** One target and whether this run met it; {@code measured} is null when the run did not measure it. */
    public record Target(String name, String limit, Double measured, Boolean met) {}

    /** Figure name → summary over the runs of {@code path}, stages first in pipeline order; empty when the path did not run. */
    public Map<String, Summary> summary(CreatePath path) {
        return figures(runsOf(path));
    }

    /** Figure name → summary over the fast-path creates that restored a snapshot; empty when none did. */
    public Map<String, Summary> snapshotSummary() {
        return figures(snapshotRuns());
    }

    /** Figure name → slow p50 / fast p50, for the figures both paths measured; empty without slow runs. */
    public Map<String, Double> slowOverFast() {
        return ratios(summary(CreatePath.SLOW), summary(CreatePath.FAST));
    }

    /** Figure name → cold p50 / snapshot p50, for the figures both measured; empty without both. */
    public Map<String, Double> coldOverSnapshot() {
        return ratios(summary(CreatePath.COLD), snapshotSummary());
    }

    /** Path label → p50 of the VMM's resident memory right after its creates, in bytes, for the paths that read it. */
    public Map<String, Long> rssP50Bytes() {
        Map<String, Long> rss = new LinkedHashMap<>();
        for (CreatePath path : CreatePath.values()) {
            List<Double> read = runsOf(path).stream().map(CreateRun::rssBytes).filter(Objects::nonNull).map(Long::doubleValue).toList();
            if (!read.isEmpty()) {
                rss.put(path.label(), (long) Summary.of(read).p50());
            }
        }
        return rss;
    }

    private List<CreateRun> runsOf(CreatePath path) {
        return runs.stream().filter(r -> r.path() == path).toList();
    }

    private List<CreateRun> snapshotRuns() {
        return runs.stream().filter(r -> r.path() == CreatePath.FAST && r.restored()).toList();
    }

    /** Whether the fast path ran and every one of its creates restored a snapshot: only then are its batches the snapshot path's. */
    private boolean fastPathRestored() {
        List<CreateRun> fast = runsOf(CreatePath.FAST);
        return !fast.isEmpty() && fast.stream().allMatch(CreateRun::restored);
    }

    private static Map<String, Summary> figures(List<CreateRun> of) {
        Map<String, Summary> figures = new LinkedHashMap<>();
        if (of.isEmpty()) {
            return figures;
        }
        for (String stage : stageNames(of)) {
            // Over the creates that ran it: a restored create has no boot, a booted one no restore.
            List<CreateRun> ran = of.stream().filter(r -> r.stages().containsKey(stage)).toList();
            figures.put(stage, summarise(ran, r -> r.stages().get(stage)));
        }
        figures.put(HOST_SIDE, summarise(of, CreateRun::hostSide));
        // What banger itself adds to the host side, apart from the VMM's own start (or restore).
        figures.put(BANGER_SIDE, summarise(of, r -> r.hostSide() - r.machineStart()));
        figures.put(CREATE, summarise(of, CreateRun::create));
        figures.put(SSH_COMMAND, summarise(of, CreateRun::sshCommand));
        figures.put(DELETE, summarise(of, CreateRun::delete));
        figures.put(TOTAL, summarise(of, CreateRun::total));
        return figures;
    }

    /**
     * Every stage the runs ran, in pipeline order as far as they show it: a stage the list does not
     * hold yet goes before the next stage of its run that it does hold.
     */
    static List<String> stageNames(List<CreateRun> runs) {
        List<String> names = new ArrayList<>();
        for (CreateRun run : runs) {
            List<String> own = List.copyOf(run.stages().keySet());
            for (int i = own.size() - 1; i >= 0; i--) {
                if (names.contains(own.get(i))) {
                    continue;
                }
                int before = names.size();
                for (int j = i + 1; j < own.size(); j++) {
                    int at = names.indexOf(own.get(j));
                    if (at >= 0) {
                        before = at;
                        break;
                    }
                }
                names.add(before, own.get(i));
            }
        }
        return names;
    }

    private static Map<String, Double> ratios(Map<String, Summary> over, Map<String, Summary> base) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        base.forEach((figure, b) -> {
            Summary o = over.get(figure);
            if (o != null && b.p50() > 0) {
                ratios.put(figure, o.p50() / b.p50());
            }
        });
        return ratios;
    }

    /**
     * The least multiple of one create's host-side time a batch can take when each create keeps a
     * core busy all through its host side (as a warm create does: nothing in it waits): the batch's
     * creates share the cores, so {@code parallel / min(parallel, cores)}.
     */
    public double parallelFloor() {
        return parallel / (double) Math.min(parallel, cores);
    }

    public List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        // The target is the warm pool's: where the fast path restored snapshots (whose host side
        // holds QEMU's start and load), the cold path's creates are the ones that took warm machines.
        CreatePath warm = fastPathRestored() && !runsOf(CreatePath.COLD).isEmpty() ? CreatePath.COLD : CreatePath.FAST;
        Summary hostSide = summary(warm).get(HOST_SIDE);
        Double hostP50 = hostSide == null ? null : hostSide.p50();
        targets.add(new Target("host-side overhead p50 (" + warm.label() + " path)", "< " + ms(HOST_SIDE_P50_TARGET), hostP50,
                hostP50 == null ? null : hostP50 < HOST_SIDE_P50_TARGET));
        Double ratio = slowOverFast().get(HOST_SIDE);
        targets.add(new Target("fast path vs slow path, host-side p50", ">= " + times(FAST_OVER_SLOW_TARGET), ratio,
                ratio == null ? null : ratio >= FAST_OVER_SLOW_TARGET));
        Double parallelRatio = batches.isEmpty() || solo.isEmpty() ? null
                : Summary.of(batches).p50() / Summary.of(solo).p50();
        targets.add(new Target("parallel creates (--parallel 8) vs one, host-side wall", "< " + times(PARALLEL_TARGET), parallelRatio,
                parallelRatio == null ? null : parallelRatio < PARALLEL_TARGET));
        Double cli = cliRoundTrip.isEmpty() ? null : Summary.of(cliRoundTrip).p50();
        targets.add(new Target("CLI round trip (banger vm list) p50", "< " + ms(CLI_P50_TARGET), cli,
                cli == null ? null : cli < CLI_P50_TARGET));
        Summary restored = snapshotSummary().get(CREATE);
        Double restoredP50 = restored == null ? null : restored.p50();
        targets.add(new Target("create → SSH p50, restored from a snapshot", "< " + ms(SNAPSHOT_CREATE_P50_TARGET), restoredP50,
                restoredP50 == null ? null : restoredP50 < SNAPSHOT_CREATE_P50_TARGET));
        Double coldRatio = coldOverSnapshot().get(CREATE);
        targets.add(new Target("cold boot vs snapshot, create → SSH p50", ">= " + times(COLD_OVER_SNAPSHOT_TARGET), coldRatio,
                coldRatio == null ? null : coldRatio >= COLD_OVER_SNAPSHOT_TARGET));
        double snapshotLimit = SNAPSHOT_PARALLEL_OVER_FLOOR_TARGET * parallelFloor();
        Double snapshotParallel = fastPathRestored() ? parallelRatio : null;
        targets.add(new Target("snapshot path, parallel vs one (" + times(SNAPSHOT_PARALLEL_OVER_FLOOR_TARGET) + " floor)",
                "<= " + times(snapshotLimit), snapshotParallel, snapshotParallel == null ? null : snapshotParallel <= snapshotLimit));
        return targets;
    }

    /** The human-readable report. */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (CreatePath path : CreatePath.values()) {
            Map<String, Summary> figures = summary(path);
            if (figures.isEmpty()) {
                continue;
            }
            int n = figures.get(TOTAL).n();
            out.append(String.format(Locale.ROOT, "%s path, %d run%s%s%n", path.label(), n, n == 1 ? "" : "s", note(path)));
            out.append(String.format(Locale.ROOT, "  %-36s %10s %10s %10s%n", "", "p50", "p95", "max"));
            figures.forEach((figure, s) -> out.append(String.format(Locale.ROOT, "  %-36s %10s %10s %10s%n",
                    label(figure), ms(s.p50()), ms(s.p95()), ms(s.max()))));
            Long rss = rssP50Bytes().get(path.label());
            if (rss != null) {
                out.append(String.format(Locale.ROOT, "  %-36s %10s%n", "VMM RSS after the create (p50)", mib(rss)));
            }
        }
        ratios(out, slowOverFast(), "slow/fast (p50): each × is how many times longer the slow path took");
        ratios(out, coldOverSnapshot(), "cold/snapshot (p50): each × is how many times longer a cold boot took than a restore");
        if (!batches.isEmpty() && !solo.isEmpty()) {
            out.append(String.format(Locale.ROOT, "parallel: %d batch(es) of %d creates, host-side wall p50 %s; one create alone %s%n",
                    batches.size(), parallel, ms(Summary.of(batches).p50()), ms(Summary.of(solo).p50())));
            out.append(String.format(Locale.ROOT, "  on %d core%s, %d creates that each keep a core busy take at least %s one%n",
                    cores, cores == 1 ? "" : "s", parallel, times(parallelFloor())));
        }
        if (!cliRoundTrip.isEmpty()) {
            Summary cli = Summary.of(cliRoundTrip);
            out.append(String.format(Locale.ROOT, "CLI round trip (banger vm list, %d runs): p50 %s, p95 %s, max %s%n",
                    cli.n(), ms(cli.p50()), ms(cli.p95()), ms(cli.max())));
        }
        out.append("targets:\n");
        for (Target target : targets()) {
            String measured = target.measured() == null ? "not measured"
                    : target.limit().contains("×") ? times(target.measured()) : ms(target.measured());
            String verdict = target.met() == null ? "" : target.met() ? "  met" : "  MISSED";
            out.append(String.format(Locale.ROOT, "  %-48s %-9s %14s%s%n", target.name(), target.limit(), measured, verdict));
        }
        return out.toString();
    }

    /** What the path header says about how its creates went. */
    private String note(CreatePath path) {
        return switch (path) {
            case SLOW -> " (fresh TAP, /root built from the rootfs, full root disk copy)";
            case COLD -> " (kernel booted, even where a snapshot exists)";
            case FAST -> {
                long restored = snapshotRuns().size();
                long all = runsOf(CreatePath.FAST).size();
                yield restored == 0 ? "" : restored == all ? " (restored from a snapshot)"
                        : " (" + restored + " of " + all + " restored from a snapshot; the snapshot figures are theirs)";
            }
        };
    }

    private static void ratios(StringBuilder out, Map<String, Double> ratios, String heading) {
        if (!ratios.isEmpty()) {
            out.append(heading).append('\n');
            ratios.forEach((figure, r) -> out.append(String.format(Locale.ROOT, "  %-36s %10s%n", label(figure), times(r))));
        }
    }

    /**
     * The report as {@code banger bench create --json} prints it (see docs/json.md): summaries per
     * path (a path that did not run is left out), ratios, parallel figures, CLI round trip, targets
     * and raw runs.
     */
    public record Json(
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Summary> fast,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Summary> slow,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Summary> cold,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Summary> snapshot,
            Map<String, Double> slowOverFast,
            Map<String, Double> coldOverSnapshot,
            Map<String, Long> vmmRssP50Bytes,
            int parallel,
            int cores,
            double parallelFloor,
            List<Double> parallelBatchesMs,
            List<Double> soloHostSideMs,
            List<Double> cliRoundTripMs,
            List<Target> targets,
            List<CreateRun> runs) {}

    /** The report as one JSON-ready value. */
    public Json json() {
        return new Json(summary(CreatePath.FAST), summary(CreatePath.SLOW), summary(CreatePath.COLD), snapshotSummary(),
                slowOverFast(), coldOverSnapshot(), rssP50Bytes(), parallel, cores, parallelFloor(), batches, solo, cliRoundTrip,
                targets(), runs);
    }

    private static Summary summarise(List<CreateRun> runs, ToDoubleFunction<CreateRun> figure) {
        return Summary.of(runs.stream().map(r -> figure.applyAsDouble(r)).toList());
    }

    private static String label(String figure) {
        return switch (Objects.requireNonNull(figure)) {
            case HOST_SIDE -> "host-side (request → VMM started)";
            case BANGER_SIDE -> "host-side without VMM start/restore";
            case CREATE -> "create (request → SSH answers)";
            case SSH_COMMAND -> "one command over SSH";
            case DELETE -> "delete";
            case TOTAL -> "total (request → command done)";
            default -> "stage " + figure;
        };
    }

    static String ms(double millis) {
        return millis < 10_000 ? String.format(Locale.ROOT, "%.1f ms", millis) : String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024));
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, "%.1f×", ratio);
    }
}
