package dev.banger.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmList;
import dev.banger.rpc.RpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load through the RPC socket with real guests: 16 creates at once, 200 concurrent clients
 * issuing {@code vm.list}/{@code vm.show}/{@code vm.health} against those guests for 10 s, then 16
 * deletes at once. No call may fail, nothing may report SQLITE_BUSY, and the latency percentiles
 * are printed (lines starting {@code faults:}). The tests run in order and share the guests.
 * {@code -Dbanger.faults.loadVms=N} changes the number of guests (16 by default).
 */
@Tag("root")
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RpcLoadTest {
    private static final int VMS = Integer.getInteger("banger.faults.loadVms", 16);
    private static final int CLIENTS = 200;
    private static final Duration CLIENT_RUN = Duration.ofSeconds(10);
    /** 16 TCG boots on two shared cores: the daemon's own emulated deadlines (12 + 10 min) bound each. */
    private static final Duration ALL_BOOTED = Duration.ofMinutes(25);
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    private FaultLab lab;
    private final List<String> names = IntStream.rangeClosed(1, VMS).mapToObj(i -> "load%02d".formatted(i)).toList();

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        lab = FaultLab.withCachedImage(dir, 2);
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void sixteenParallelCreatesThroughTheRpcAllSucceed() {
        long start = System.nanoTime();
        List<CompletableFuture<Operation>> ops = names.stream().map(name -> CompletableFuture.supplyAsync(() -> {
            try (RpcClient client = lab.client()) {
                return client.call("vm.create.begin", FaultLab.smallVm(name, 256), Operation.class, FaultLab.RPC);
            }
        }, VIRTUAL)).toList();
        List<Operation> done = ops.stream().map(CompletableFuture::join)
                .map(op -> CompletableFuture.supplyAsync(() -> lab.awaitCreate(op.id(), ALL_BOOTED), VIRTUAL)).toList()
                .stream().map(CompletableFuture::join).toList();
        long wallMs = (System.nanoTime() - start) / 1_000_000;

        List<Long> createMs = new ArrayList<>();
        for (Operation op : done) {
            assertThat(op.state()).as("create %s: %s", op.target(), op.error()).isEqualTo(OperationState.SUCCEEDED);
            createMs.add(Duration.between(op.startedAt(), op.endedAt()).toMillis());
        }
        System.out.printf("faults: %d parallel creates (1 vCPU, 256 MiB, TCG) all running after %d ms; per VM %s%n", VMS, wallMs,
                Percentiles.of(createMs));
        assertThat(lab.vms()).hasSize(VMS);
        assertNoBusyDatabase();
    }

    @Test
    @Order(2)
    void twoHundredConcurrentClientsIssuingListShowAndHealthSeeNoErrors() throws Exception {
        // The guests the create test left running (all of them, unless it failed).
        List<String> running = lab.vms().stream().filter(v -> v.state() == dev.banger.model.VmState.RUNNING)
                .map(dev.banger.model.VmInfo::name).toList();
        if (running.isEmpty()) {
            throw new AssertionError("no guest runs, so there is nothing to load; see why the create test failed");
        }
        Queue<Long> list = new ConcurrentLinkedQueue<>();
        Queue<Long> show = new ConcurrentLinkedQueue<>();
        Queue<Long> health = new ConcurrentLinkedQueue<>();
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch connected = new CountDownLatch(CLIENTS);
        List<CompletableFuture<Void>> clients = IntStream.range(0, CLIENTS).mapToObj(c -> CompletableFuture.runAsync(() -> {
            RpcClient connection;
            try {
                connection = lab.client();
            } catch (RuntimeException e) {
                errors.add("client " + c + " cannot connect: " + e.getMessage());
                return;
            } finally {
                connected.countDown();
            }
            try (RpcClient client = connection) {
                // All connect first, then all call: the 10 s run has every client in it.
                assertThat(connected.await(60, TimeUnit.SECONDS)).isTrue();
                long end = System.nanoTime() + CLIENT_RUN.toNanos();
                for (int i = c; System.nanoTime() < end; i++) {
                    String vm = running.get(i % running.size());
                    long t0 = System.nanoTime();
                    try {
                        switch (i % 3) {
                            case 0 -> {
                                client.call("vm.list", null, VmList.class, FaultLab.RPC);
                                list.add(System.nanoTime() - t0);
                            }
                            case 1 -> {
                                client.call("vm.show", Map.of("name", vm), Map.class, FaultLab.RPC);
                                show.add(System.nanoTime() - t0);
                            }
                            default -> {
                                client.call("vm.health", Map.of("name", vm), Map.class, FaultLab.RPC);
                                health.add(System.nanoTime() - t0);
                            }
                        }
                    } catch (RuntimeException e) {
                        errors.add(e.getMessage());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add("interrupted");
            } catch (RuntimeException e) {
                errors.add("client " + c + ": " + e.getMessage());
            }
        }, VIRTUAL)).toList();
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);

        report("vm.list", list);
        report("vm.show", show);
        report("vm.health", health);
        System.out.printf("faults: %d clients x %d s: %d calls, %d errors%n", CLIENTS, CLIENT_RUN.toSeconds(),
                list.size() + show.size() + health.size(), errors.size());
        assertThat(errors).as("errors (first ones)").isEmpty();
        assertThat(list).isNotEmpty();
        assertThat(show).isNotEmpty();
        assertThat(health).isNotEmpty();
        assertNoBusyDatabase();
    }

    @Test
    @Order(3)
    void sixteenParallelDeletesThroughTheRpcLeaveNothingBehind() {
        long start = System.nanoTime();
        List<String> existing = lab.vms().stream().map(dev.banger.model.VmInfo::name).toList();
        List<VmDeleteResult> results = existing.stream().map(name -> CompletableFuture.supplyAsync(() -> {
            try (RpcClient client = lab.client()) {
                return client.call("vm.delete", Map.of("names", List.of(name)), VmDeleteResult.class, Duration.ofMinutes(3));
            }
        }, VIRTUAL)).toList().stream().map(CompletableFuture::join).toList();
        System.out.printf("faults: %d parallel deletes done after %d ms%n", existing.size(), (System.nanoTime() - start) / 1_000_000);

        results.forEach(r -> assertThat(r.allDeleted()).as("%s", r.outcomes()).isTrue());
        assertThat(lab.vms()).isEmpty();
        for (String name : names) {
            assertThat(lab.leftovers(name, false)).as("left by %s", name).isEmpty();
        }
        assertNoBusyDatabase();
    }

    private void assertNoBusyDatabase() {
        assertThat(lab.log()).doesNotContain("SQLITE_BUSY").doesNotContain("database is locked");
    }

    private static void report(String method, Queue<Long> nanos) {
        List<Long> ms = new ArrayList<>();
        nanos.forEach(n -> ms.add(n / 1_000));
        System.out.printf("faults: %-9s %6d calls, latency in µs %s%n", method, ms.size(), Percentiles.of(ms));
    }

    /** p50/p95/p99/max of a sample. */
    record Percentiles(long p50, long p95, long p99, long max) {
        static Percentiles of(List<Long> sample) {
            if (sample.isEmpty()) {
                return new Percentiles(0, 0, 0, 0);
            }
            List<Long> sorted = new ArrayList<>(sample);
            Collections.sort(sorted);
            return new Percentiles(at(sorted, 50), at(sorted, 95), at(sorted, 99), sorted.getLast());
        }

        private static long at(List<Long> sorted, int percent) {
            int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        @Override
        public String toString() {
            return "p50 " + p50 + ", p95 " + p95 + ", p99 " + p99 + ", max " + max;
        }
    }
}
