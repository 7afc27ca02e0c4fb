package dev.banger.doctor;

import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import dev.banger.model.Deadline;
import dev.banger.model.DoctorReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs readiness checks concurrently and reports them in the order they were given, whatever
 * order they finish in. A check that {@linkplain Check#dependsOn() depends on} others starts once
 * they have finished (however they ended), so it reads their verdict of this run. Used by
 * {@code banger doctor} and the daemon's preflight. A check that throws, or outlives the deadline,
 * is reported as FAIL rather than breaking the report. Immutable; {@link #run()} may be called
 * from several threads.
 */
public final class Doctor {
    /** Long enough for the KVM test boot (about 15 s) with room to spare. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    private final List<Check> checks;

    public Doctor(List<Check> checks) {
        Set<String> names = new HashSet<>();
        Set<String> all = new HashSet<>();
        checks.forEach(check -> all.add(check.name()));
        for (Check check : checks) {
            if (!names.add(check.name())) {
                throw new IllegalArgumentException("two doctor checks are named " + check.name());
            }
            // A dependency must come earlier in the report: that rules out cycles, and is the order readers expect.
            for (String dependency : check.dependsOn()) {
                if (all.contains(dependency) && !names.contains(dependency)) {
                    throw new IllegalArgumentException("doctor check " + check.name() + " depends on " + dependency
                            + ", which must come before it");
                }
            }
        }
        this.checks = List.copyOf(checks);
    }

    /** Every standard check, in report order, followed by the context's extra checks. */
    public static Doctor standard(DoctorContext ctx) {
        List<Check> all = new ArrayList<>(standardChecks(ctx));
        all.addAll(ctx.extraChecks());
        return new Doctor(all);
    }

    /** The standard checks, for callers that want to pick or reorder them. */
    public static List<Check> standardChecks(DoctorContext ctx) {
        return List.of(
                new KvmCheck(ctx),
                new FirecrackerCheck(ctx),
                new QemuCheck(ctx),
                new TunCheck(ctx),
                new BridgeCheck(ctx),
                new FirewallCheck(ctx),
                new HostNamesCheck(ctx),
                new DeviceMapperCheck(ctx),
                new ReflinkCheck(ctx),
                new DiskClonesCheck(ctx),
                new ProgramsCheck("e2fsprogs", ctx, List.of("mkfs.ext4", "resize2fs", "e2fsck"),
                        CheckStatus.FAIL, "disks cannot be created or grown",
                        "apt-get install e2fsprogs"),
                new ProgramsCheck("debootstrap", ctx, List.of("debootstrap"),
                        CheckStatus.WARN, "Debian images cannot be built (registering prebuilt images still works)",
                        "apt-get install debootstrap"),
                new StateDirCheck(ctx),
                new FreeDiskCheck(ctx));
    }

    /** This doctor with {@code extra} checks appended (e.g. the runtime-bundle check). */
    public Doctor with(Check... extra) {
        List<Check> all = new ArrayList<>(checks);
        all.addAll(List.of(extra));
        return new Doctor(all);
    }

    /**
     * This doctor as {@code root} (or not) may run it: for a user other than root every check that
     * {@linkplain Check#needsRoot() needs root} is replaced, in place, by one that reports it as
     * not run and why; the others run as they are. Same names, same order, whoever runs it.
     */
    public Doctor runnableBy(boolean root) {
        if (root) {
            return this;
        }
        return new Doctor(checks.stream()
                .map(check -> check.needsRoot().<Check>map(reason -> new NotRunCheck(check, reason)).orElse(check))
                .toList());
    }

    public List<String> checkNames() {
        return checks.stream().map(Check::name).toList();
    }

    public DoctorReport run() {
        return run(DEFAULT_DEADLINE);
    }

    /**
     * Runs every check, waiting at most {@code deadline} in total: those without dependencies at
     * once, each other one when its dependencies have finished.
     */
    public DoctorReport run(Duration deadline) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Map<String, CompletableFuture<CheckResult>> byName = new HashMap<>();
            List<Future<CheckResult>> futures = new ArrayList<>();
            for (Check check : checks) {
                // Dependencies come earlier in the list (the constructor insists), so their futures exist.
                CompletableFuture<?>[] before = check.dependsOn().stream()
                        .map(byName::get).filter(Objects::nonNull).toArray(CompletableFuture<?>[]::new);
                CompletableFuture<CheckResult> future = before.length == 0
                        ? CompletableFuture.supplyAsync(check::run, executor)
                        : CompletableFuture.allOf(before).handle((ignored, failure) -> null)
                                .thenApplyAsync(ignored -> check.run(), executor);
                byName.put(check.name(), future);
                futures.add(future);
            }
            Deadline end = Deadline.after(deadline);
            List<CheckResult> results = new ArrayList<>();
            for (int i = 0; i < checks.size(); i++) {
                results.add(await(checks.get(i), futures.get(i), end, deadline));
            }
            return new DoctorReport(results);
        } finally {
            // Not close(): that would wait for a check stuck past the deadline.
            executor.shutdownNow();
        }
    }

    private static CheckResult await(Check check, Future<CheckResult> future, Deadline end, Duration deadline) {
        try {
            CheckResult result = future.get(end.remaining().toNanos(), TimeUnit.NANOSECONDS);
            return result != null ? result
                    : CheckResult.fail(check.name(), "the check returned no result", "report this as a banger bug");
        } catch (TimeoutException e) {
            future.cancel(true);
            return CheckResult.fail(check.name(), "did not finish within " + deadline.toSeconds() + " s",
                    "run banger doctor again; if it keeps timing out, report it as a banger bug");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return CheckResult.fail(check.name(), "the check crashed: " + cause,
                    "report this as a banger bug");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return CheckResult.fail(check.name(), "interrupted before it finished", "run banger doctor again");
        }
    }
}
