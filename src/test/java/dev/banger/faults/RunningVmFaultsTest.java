package dev.banger.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.model.VmDeleteResult;
import dev.banger.model.VmInfo;
import dev.banger.model.VmState;
import dev.banger.rpc.RpcClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around running guests (real TCG boots): a VMM killed under a running VM, and SIGTERM to
 * the daemon in the middle of a multi-VM delete.
 */
@Tag("root")
@Tag("faults")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunningVmFaultsTest {
    /** What a TCG boot on a shared two-core host needs, with several guests booting at once. */
    private static final Duration BOOT = Duration.ofMinutes(8);
    /** "Within a few seconds": the watch's exit callback, backed by its sweep every 2 s. */
    private static final Duration NOTICED = Duration.ofSeconds(10);

    private FaultLab lab;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        lab = FaultLab.withCachedImage(dir, 1);
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void killedVmmIsNoticedTheVmMarkedStoppedItsTapFreedAndItsDisksKept() throws Exception {
        VmInfo running = lab.create("vmmdeath", BOOT);
        ProcessHandle qemu = lab.vmm("vmmdeath").orElseThrow(() -> new AssertionError("no QEMU for vmmdeath"));
        assertThat(qemu.pid()).isEqualTo(running.pid());

        long killed = System.nanoTime();
        qemu.destroyForcibly();
        VmInfo stopped = awaitState("vmmdeath", VmState.STOPPED, NOTICED);
        long noticedMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf("faults: VMM death noticed after %d ms%n", noticedMs);

        assertThat(stopped.pid()).isNull();
        assertThat(stopped.tap()).isNull();
        assertThat(lab.taps()).as("TAPs").allMatch(t -> t.startsWith("tap-pool-"));
        // QEMU with an image whose guest grows /root: the work disk is a qcow2 overlay of the seed.
        assertThat(lab.vmDir("vmmdeath").resolve("work.qcow2")).exists();
        assertThat(lab.vmDir("vmmdeath").resolve("root.qcow2")).exists();
        assertThat(FaultLab.processesMentioning(lab.vmDir("vmmdeath") + "/")).isEmpty();
        assertThat(lab.log()).contains("VM vmmdeath: its qemu process " + running.pid() + " exited; marked stopped, TAP "
                + running.tap() + " released");

        try (RpcClient client = lab.client()) {
            VmInfo again = client.call("vm.start", Map.of("name", "vmmdeath"), VmInfo.class, BOOT);
            assertThat(again.state()).isEqualTo(VmState.RUNNING);
        }
        delete(List.of("vmmdeath"));
        assertThat(lab.leftovers("vmmdeath", false)).isEmpty();
    }

    @Test
    void sigtermDuringAMultiVmDeleteLeavesEachVmFullyDeletedOrIntact() throws Exception {
        List<CompletableFuture<VmInfo>> creates = List.of("dela", "delb", "delc").stream()
                .map(n -> CompletableFuture.supplyAsync(() -> lab.create(n, BOOT), r -> Thread.ofVirtual().start(r))).toList();
        creates.forEach(CompletableFuture::join);
        lab.terminateDaemon(Duration.ofSeconds(90));
        lab.startDaemon("vm-delete:delb");

        CompletableFuture<Optional<VmDeleteResult>> deleting = CompletableFuture.supplyAsync(() -> {
            try (RpcClient client = lab.client()) {
                return Optional.of(client.call("vm.delete", Map.of("names", List.of("dela", "delb", "delc")), VmDeleteResult.class,
                        Duration.ofMinutes(3)));
            } catch (RuntimeException connectionCutByTheShutdown) {
                return Optional.empty();
            }
        }, r -> Thread.ofVirtual().start(r));
        lab.awaitHeld("vm-delete", "delb", Duration.ofMinutes(2));
        lab.terminateDaemon(Duration.ofSeconds(120));

        Optional<VmDeleteResult> answer = deleting.get(30, TimeUnit.SECONDS);
        answer.ifPresent(result -> {
            assertThat(result.outcomes()).filteredOn(o -> o.name().equals("delc")).singleElement()
                    .satisfies(o -> assertThat(o.error()).contains("shutting down"));
            System.out.println("faults: vm.delete answered during shutdown: " + result.outcomes());
        });
        lab.startDaemon();
        List<VmInfo> left = lab.vms();
        assertThat(left).extracting(VmInfo::name).as("delb's delete was under way: it finished; delc's never began")
                .containsExactly("delc");
        VmInfo intact = left.getFirst();
        assertThat(intact.state()).isEqualTo(VmState.RUNNING);
        assertThat(lab.vmm("delc")).as("delc's QEMU still runs").isPresent();
        assertThat(lab.vmDir("delc").resolve("work.qcow2")).exists();
        assertThat(lab.leftovers("dela", true)).isEmpty();
        assertThat(lab.leftovers("delb", true)).isEmpty();

        delete(List.of("delc"));
        assertThat(lab.leftovers("delc", false)).isEmpty();
    }

    private void delete(List<String> names) {
        try (RpcClient client = lab.client()) {
            VmDeleteResult result = client.call("vm.delete", Map.of("names", names), VmDeleteResult.class, Duration.ofMinutes(3));
            assertThat(result.allDeleted()).as("%s", result.outcomes()).isTrue();
        }
    }

    private VmInfo awaitState(String name, VmState state, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            VmInfo vm = lab.call("vm.show", Map.of("name", name), VmInfo.class);
            if (vm.state() == state) {
                return vm;
            }
            assertThat(System.nanoTime()).as("%s %s within %s (now %s)", name, state, within, vm.state()).isLessThan(deadline);
            lab.pause();
        }
    }
}
