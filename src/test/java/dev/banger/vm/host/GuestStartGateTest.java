package dev.banger.vm.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GuestStartGateTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void aCreateAloneRunsItsGuestAtOnce() {
        GuestStartGate gate = new GuestStartGate(LONG);

        assertThat(gate.enter().leaveAndAwaitCohort()).isTrue();
    }

    @Test
    void aGuestWaitsForTheHostSideOfACreateBegunBeforeItsOwnEnded() throws Exception {
        GuestStartGate gate = new GuestStartGate(LONG);
        GuestStartGate.Pass first = gate.enter();
        GuestStartGate.Pass second = gate.enter();
        AtomicBoolean secondLeft = new AtomicBoolean();

        CompletableFuture<Boolean> firstRuns = waitingAtTheGate(() -> first.leaveAndAwaitCohort() && secondLeft.get());
        secondLeft.set(true);
        second.leaveAndAwaitCohort();

        assertThat(firstRuns.get(10, TimeUnit.SECONDS)).as("returned only after the second create left").isTrue();
    }

    @Test
    void aCreateThatFailsReleasesTheGuestsWaitingForIt() throws Exception {
        GuestStartGate gate = new GuestStartGate(LONG);
        GuestStartGate.Pass waiting = gate.enter();
        GuestStartGate.Pass failing = gate.enter();

        CompletableFuture<Boolean> runs = waitingAtTheGate(waiting::leaveAndAwaitCohort);
        failing.leave();
        failing.leave();

        assertThat(runs.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void createsBegunAfterAHostSideEndedDoNotHoldItsGuest() throws Exception {
        GuestStartGate gate = new GuestStartGate(LONG);
        GuestStartGate.Pass early = gate.enter();
        GuestStartGate.Pass alongside = gate.enter();

        CompletableFuture<Boolean> runs = waitingAtTheGate(early::leaveAndAwaitCohort);
        GuestStartGate.Pass later = gate.enter();
        alongside.leave();

        assertThat(runs.get(10, TimeUnit.SECONDS)).as("the later create is still on its host side").isTrue();
        later.leave();
    }

    @Test
    void theHoldEndsAtItsLimitWhenAnotherCreateIsStuck() {
        GuestStartGate gate = new GuestStartGate(Duration.ofMillis(50));
        GuestStartGate.Pass waiting = gate.enter();
        gate.enter();

        assertThat(waiting.leaveAndAwaitCohort()).isFalse();
    }

    @Test
    void backgroundWorkWaitsUntilNoCreateIsOnItsHostSide() throws Exception {
        GuestStartGate gate = new GuestStartGate(LONG);
        assertThat(gate.awaitQuiet()).isTrue();
        GuestStartGate.Pass busy = gate.enter();
        AtomicBoolean left = new AtomicBoolean();

        CompletableFuture<Boolean> quiet = waitingAtTheGate(() -> gate.awaitQuiet() && left.get());
        left.set(true);
        busy.leave();

        assertThat(quiet.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void backgroundWorkGoesAheadAtTheLimit() {
        GuestStartGate gate = new GuestStartGate(Duration.ofMillis(50));
        gate.enter();

        assertThat(gate.awaitQuiet()).isFalse();
    }

    /** Runs {@code wait} on its own thread and returns once that thread blocks in the gate; its answer completes the future. */
    private static CompletableFuture<Boolean> waitingAtTheGate(java.util.function.BooleanSupplier wait) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        awaitWaiting(Thread.ofVirtual().start(() -> answer.complete(wait.getAsBoolean())));
        return answer;
    }

    /** Until the thread blocks in the gate; bounded. */
    private static void awaitWaiting(Thread thread) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("thread never waited at the gate").isLessThan(end);
            assertThat(thread.isAlive()).as("thread ended without waiting").isTrue();
            Thread.yield();
        }
    }
}
