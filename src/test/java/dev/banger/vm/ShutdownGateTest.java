package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownGateTest {
    @Test
    void closingWaitsForWorkAlreadyStartedAndRefusesNewWork() throws Exception {
        ShutdownGate gate = new ShutdownGate();
        assertThat(gate.enter()).isTrue();
        CountDownLatch closing = new CountDownLatch(1);
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            closing.countDown();
            return gate.closeAndAwait(Duration.ofSeconds(30));
        });
        assertThat(closing.await(10, TimeUnit.SECONDS)).isTrue();

        gate.exit();

        assertThat(drained.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gate.enter()).isFalse();
    }

    @Test
    void closingGivesUpAfterItsLimitWhenWorkDoesNotEnd() {
        ShutdownGate gate = new ShutdownGate();
        assertThat(gate.enter()).isTrue();

        assertThat(gate.closeAndAwait(Duration.ofMillis(50))).isFalse();
    }

    @Test
    void closingAnIdleGateReturnsAtOnce() {
        assertThat(new ShutdownGate().closeAndAwait(Duration.ZERO)).isTrue();
    }
}
