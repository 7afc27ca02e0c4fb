package dev.banger.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.CommandResult;
import dev.banger.model.Operation;
import dev.banger.model.OperationState;
import dev.banger.model.SshTarget;
import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.rpc.RpcClient;
import dev.banger.vm.FaultPoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak (issue #20): one daemon, 100 create/delete cycles whose guests are not waited for
 * (the daemon's test-only {@link FaultPoints#SKIP_GUEST_WAIT_ENV} switch for names starting
 * {@value #FAST}: row, disks, TAP, capabilities, VMM and resumed guest are all made, then torn down),
 * run in {@value #LANES} lanes so that creates overlap and some find the warm pool empty (the
 * cold path: clones, TAP, VMM start of its own), and alongside them 5 cycles whose creates wait as
 * usual and whose guests answer SSH on their address with the host key the daemon pinned.
 * The daemon's open descriptors, threads and live heap after a full GC are taken after a warm-up
 * (pools, class loading and caches settled) and after the cycles, printed ({@code soak:} lines)
 * and must stay flat; nothing may be left on the host. {@code -Dbanger.faults.soakCycles=N} and
 * {@code -Dbanger.faults.soakSshCycles=N} change the 100 and the 5.
 */
@Tag("root")
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SoakTest {
    static final String FAST = "soak-";
    private static final int CYCLES = Integer.getInteger("banger.faults.soakCycles", 100);
    private static final int SSH_CYCLES = Integer.getInteger("banger.faults.soakSshCycles", 5);
    private static final int WARM_UP = 5;
    /** Concurrent fast cycles: one more than the warm pool holds (2), so the cold path runs too. */
    private static final int LANES = 3;
    private static final int TAP_POOL = 2;
    private static final int MEMORY_MIB = 256;
    /** A create that does not wait for its guest is host-side work: seconds, even on a busy host. */
    private static final Duration FAST_CREATE = Duration.ofMinutes(2);
    /** One TCG boot at a time, on two cores shared with the fast cycles and other work. */
    private static final Duration BOOT = Duration.ofMinutes(8);
    private static final Duration DELETE = Duration.ofMinutes(2);
    /** 100 cycles took 2–3 min on this shared two-core host; a hang or a crawl fails well before the next CI step. */
    private static final Duration ALL_FAST_CYCLES = Duration.ofMinutes(30);
    private static final Duration VMM_GONE = Duration.ofSeconds(30);
    /** Idle pool threads (the JDK's process reaper among them) end after their keep-alive: 60 s. */
    private static final Duration SETTLE = Duration.ofSeconds(120);
    /** What "flat" allows: a few descriptors and threads in flight, and live heap within a few MiB. */
    private static final int FD_SLACK = 5;
    /**
     * The store's pool holds 1 to 4 SQLite connections (Hikari: minimum idle 1, maximum 4, idle
     * ones closed after 10 min), each with {@code state.db} and its WAL open, and SQLite keeps one
     * {@code state.db-shm} per process: how many the pool holds after the soak depends on how many
     * calls overlapped, so those descriptors are judged by this bound rather than against the baseline.
     */
    private static final int STORE_FDS_MAX = 4 * 2 + 1;
    private static final int THREAD_SLACK = 5;
    private static final long HEAP_SLACK = 4L << 20;
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    private FaultLab lab;
    private final Queue<Long> createMs = new ConcurrentLinkedQueue<>();
    private final Queue<Long> deleteMs = new ConcurrentLinkedQueue<>();

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        lab = FaultLab.withCachedImage(dir, TAP_POOL, Map.of(FaultPoints.SKIP_GUEST_WAIT_ENV, FAST));
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void hundredCreateDeleteCyclesLeaveTheDaemonFlatAndNothingOnTheHost() throws Exception {
        assertThat(lab.log()).contains("TEST-ONLY fault switch armed (" + FaultPoints.SKIP_GUEST_WAIT_ENV + "=" + FAST + ")");
        long start = System.nanoTime();
        for (int i = 1; i <= WARM_UP; i++) {
            fastCycle(FAST + "warm" + i);
        }
        settlePools();
        DaemonFigures first = DaemonFigures.measure(lab.daemon(), lab.host);
        List<String> poolTaps = lab.taps();
        System.out.printf("soak: baseline after %d warm-up cycles, %d s in: %s; TAPs %s%n", WARM_UP, seconds(start), first, poolTaps);

        runCycles();

        HostReady pools = settlePools();
        DaemonFigures settled = awaitCountsWithin(first);
        DaemonFigures last = DaemonFigures.measure(lab.daemon(), lab.host);
        System.out.printf("soak: open fds     first %d last %d (of which on the store's database: %d and %d; the counts"
                + " settled at %d fds, %d threads)%n", first.fds(), last.fds(), first.storeFds(), last.storeFds(), settled.fds(),
                settled.threads());
        System.out.printf("soak: threads      first %d last %d%n", first.threads(), last.threads());
        System.out.printf("soak: live heap    first %.1f MiB last %.1f MiB (after a full GC)%n", mib(first.liveHeapBytes()),
                mib(last.liveHeapBytes()));
        System.out.printf("soak: live bytes grown most, by class: %s%n", last.grownSince(first, 8));
        System.out.printf("soak: descriptors that are new: %s%n", last.fdsGrownSince(first));

        assertThat(last.otherFds()).as("open fds but the store's, baseline %d; new: %s", first.otherFds(), last.fdsGrownSince(first))
                .isLessThanOrEqualTo(first.otherFds() + FD_SLACK);
        assertThat(last.storeFds()).as("fds on the store's database").isLessThanOrEqualTo(STORE_FDS_MAX);
        assertThat(last.threads()).as("threads, baseline %d", first.threads()).isLessThanOrEqualTo(first.threads() + THREAD_SLACK);
        assertThat(last.liveHeapBytes()).as("live heap after a full GC, baseline %d", first.liveHeapBytes())
                .isLessThanOrEqualTo(first.liveHeapBytes() + HEAP_SLACK);
        assertThat(lab.vms()).as("VMs left").isEmpty();
        // Pool TAPs are all named tap-pool-* (the leftover check allows only those), whether idle or held by a VM or a warm
        // machine; with no VM left, each must be idle in the pool or a warm machine's, and they are as many as at the baseline.
        assertThat(lab.taps()).as("TAPs after the soak (baseline %s; %s)", poolTaps, pools)
                .hasSize(pools.warmTaps() + pools.warmMachines()).hasSameSizeAs(poolTaps);
        assertThat(lab.leftoversOfAllVms()).as("left on the host").isEmpty();
        assertThat(lab.log()).as("daemon log").doesNotContain("SQLITE_BUSY").doesNotContain("database is locked");
        System.out.printf("soak: whole test %d s%n", seconds(start));
    }

    /** The fast cycles in {@value #LANES} lanes and, alongside, the SSH cycles all created together. */
    private void runCycles() throws Exception {
        long cyclesStart = System.nanoTime();
        List<CompletableFuture<Long>> sshCycles = IntStream.rangeClosed(1, SSH_CYCLES)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> sshCycle("ssh-" + i), VIRTUAL)).toList();
        AtomicInteger next = new AtomicInteger(1);
        List<CompletableFuture<Void>> lanes = IntStream.range(0, LANES).mapToObj(lane -> CompletableFuture.runAsync(() -> {
            for (int i = next.getAndIncrement(); i <= CYCLES; i = next.getAndIncrement()) {
                fastCycle(FAST + i);
            }
        }, VIRTUAL)).toList();
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).get(ALL_FAST_CYCLES.toMinutes(), TimeUnit.MINUTES);
        System.out.printf("soak: %d fast cycles in %d lanes in %d s (create ms median %d max %d; delete ms median %d max %d)%n",
                CYCLES, LANES, seconds(cyclesStart), median(createMs), max(createMs), median(deleteMs), max(deleteMs));
        CompletableFuture.allOf(sshCycles.toArray(CompletableFuture[]::new)).get(BOOT.toMinutes() + 2, TimeUnit.MINUTES);
        System.out.printf("soak: %d SSH cycles alongside (created together), ms each %s; all cycles done %d s after they began%n",
                SSH_CYCLES, sshCycles.stream().map(CompletableFuture::join).toList(), seconds(cyclesStart));
        System.out.printf("soak: %d of %d creates took a warm machine%n", warmTaken(), createMs.size() + SSH_CYCLES);
    }

    /** A create whose guest is not waited for, then its delete; the VMM must run in between and be gone after. */
    private void fastCycle(String name) {
        long begun = System.nanoTime();
        Operation done = lab.awaitCreate(lab.call("vm.create.begin", FaultLab.smallVm(name, MEMORY_MIB), Operation.class).id(),
                FAST_CREATE);
        assertThat(done.state()).as("create %s: %s %s", name, done.error(), done.stages()).isEqualTo(OperationState.SUCCEEDED);
        createMs.add(millis(begun));
        VmInfo vm = lab.call("vm.show", Map.of("name", name), VmInfo.class);
        assertThat(vm.state()).isEqualTo(VmState.RUNNING);
        ProcessHandle vmm = ProcessHandle.of(vm.pid()).orElseThrow(() -> new AssertionError(name + ": no VMM process " + vm.pid()));
        long deleting = System.nanoTime();
        delete(name);
        deleteMs.add(millis(deleting));
        awaitGone(name, vmm);
    }

    /**
     * A cycle that reaches SSH: a create that waits for the agent and sshd as usual, then an SSH
     * key exchange with the guest from the lab's namespace ({@code ssh-keyscan}), whose host key
     * must be one the daemon pinned for {@code vm ssh}, then the delete. (Not a login: the cached
     * image authorises the key of the runtime bundle that built it, which need not be this checkout's.)
     */
    private long sshCycle(String name) {
        long begun = System.nanoTime();
        Operation done = lab.awaitCreate(lab.call("vm.create.begin", FaultLab.smallVm(name, MEMORY_MIB), Operation.class).id(), BOOT);
        assertThat(done.state()).as("create %s: %s %s", name, done.error(), done.stages()).isEqualTo(OperationState.SUCCEEDED);
        VmInfo vm = lab.call("vm.show", Map.of("name", name), VmInfo.class);
        SshTarget target = lab.call("vm.ssh", Map.of("name", name), SshTarget.class);
        CommandResult scan = lab.inNs("ssh-keyscan", "-T", "20", "-p", Integer.toString(target.port()), target.host());
        List<String> offered = scan.stdout().lines().filter(l -> !l.startsWith("#")).map(SoakTest::keyOf).toList();
        assertThat(offered).as("host keys %s's sshd offered (%s); pinned %s", name, scan.stderr().strip(), target.knownHosts())
                .isNotEmpty().allMatch(key -> target.knownHosts().stream().anyMatch(pinned -> pinned.contains(" " + key)));
        ProcessHandle vmm = ProcessHandle.of(vm.pid()).orElseThrow(() -> new AssertionError(name + ": no VMM process"));
        delete(name);
        awaitGone(name, vmm);
        return millis(begun);
    }

    /** "type base64" of a {@code known_hosts}-style line "host type base64 [comment]". */
    private static String keyOf(String line) {
        String[] fields = line.strip().split("\\s+");
        return fields.length < 3 ? line : fields[1] + " " + fields[2];
    }

    private void delete(String name) {
        try (RpcClient client = lab.client()) {
            VmDeleteResult result = client.call("vm.delete", Map.of("names", List.of(name)), VmDeleteResult.class, DELETE);
            assertThat(result.allDeleted()).as("delete %s: %s", name, result.outcomes()).isTrue();
        }
    }

    /** The delete has returned: its VMM must exit (bounded) and its directory be gone. */
    private void awaitGone(String name, ProcessHandle vmm) {
        try {
            vmm.onExit().get(VMM_GONE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(name + ": VMM pid " + vmm.pid() + " still runs " + VMM_GONE + " after its delete", e);
        }
        assertThat(lab.vmDir(name)).as("%s's directory", name).doesNotExist();
    }

    /** What {@code vm.host.prepare} answers: the bridge, the idle TAPs of the pool and the idle warm machines. */
    record HostReady(String bridge, int warmTaps, int warmMachines) {}

    /** The warm machines and the TAP pool full again for the soak's shape, so both figures see the same pools. */
    private HostReady settlePools() {
        try (RpcClient client = lab.client()) {
            return client.call("vm.host.prepare", Map.of("image", FaultLab.IMAGE, "vcpus", 1, "memoryMib", MEMORY_MIB, "diskGib", 2),
                    HostReady.class, Duration.ofSeconds(90));
        }
    }

    /**
     * Polls the descriptor and thread counts until both are within the slack of {@code first}
     * (threads of idle pools end after their keep-alive), at most {@link #SETTLE}; returns the
     * last counts either way, and the assertions judge them.
     */
    private DaemonFigures awaitCountsWithin(DaemonFigures first) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        DaemonFigures now = DaemonFigures.counts(lab.daemon());
        while ((now.otherFds() > first.otherFds() + FD_SLACK || now.threads() > first.threads() + THREAD_SLACK)
                && System.nanoTime() < deadline) {
            for (int i = 0; i < 10; i++) {
                lab.pause();
            }
            now = DaemonFigures.counts(lab.daemon());
        }
        return now;
    }

    private int warmTaken() {
        Matcher taken = Pattern.compile("VM \\S+: \\S+ pid \\d+ from the warm pool").matcher(lab.log());
        int count = 0;
        while (taken.find()) {
            count++;
        }
        return count;
    }

    private static long median(Collection<Long> values) {
        return values.stream().sorted().skip(values.size() / 2).findFirst().orElse(0L);
    }

    private static long max(Collection<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static long millis(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
