package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.vm.state.VmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedProbesTest {
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    @Test
    void callersArrivingWhileAProbeRunsShareItsAnswer() throws Exception {
        SharedProbes<String> probes = new SharedProbes<>();
        AtomicInteger probed = new AtomicInteger();
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> probes.get("vm1", () -> {
            probed.incrementAndGet();
            probing.countDown();
            await(answer);
            return "ok";
        }), VIRTUAL);
        assertThat(probing.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<String> second = new CompletableFuture<>();
        Thread joiner = Thread.ofVirtual().start(() -> second.complete(probes.get("vm1", () -> {
            throw new AssertionError("a second probe ran while one was in flight");
        })));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (joiner.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the joiner parks only to wait for the running probe
        }
        assertThat(joiner.getState()).isEqualTo(Thread.State.WAITING);
        String otherVm = probes.get("vm2", () -> "vm2 probed on its own");
        answer.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(probed).hasValue(1);
        assertThat(otherVm).isEqualTo("vm2 probed on its own");
        assertThat(probes.get("vm1", () -> "fresh")).as("a finished probe is not reused").isEqualTo("fresh");
    }

    @Test
    void aProbesErrorReachesItsCaller() {
        SharedProbes<String> probes = new SharedProbes<>();

        assertThatThrownBy(() -> probes.get("vm1", () -> {
            throw VmException.precondition("agent not answering");
        })).hasMessage("agent not answering");
        assertThat(probes.get("vm1", () -> "next")).isEqualTo("next");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
