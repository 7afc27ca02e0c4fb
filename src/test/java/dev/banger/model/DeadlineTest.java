package dev.banger.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void awaitReturnsAsSoonAsTheConditionHolds() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();

        boolean met = Deadline.after(Duration.ofMinutes(1)).await(() -> asked.incrementAndGet() == 3, Duration.ofMillis(1));

        assertThat(met).isTrue();
        assertThat(asked).hasValue(3);
    }

    @Test
    void awaitGivesUpAtTheDeadlineWithinItsBudget() throws InterruptedException {
        Deadline deadline = Deadline.after(Duration.ofMillis(50));
        AtomicInteger asked = new AtomicInteger();

        boolean met = deadline.await(() -> asked.incrementAndGet() < 0, Duration.ofMinutes(1));

        assertThat(met).isFalse();
        assertThat(deadline.expired()).isTrue();
        // One look at once, one after the pause that the deadline cut short: no waiting out the minute.
        assertThat(asked).hasValue(2);
    }

    @Test
    void awaitOrThrowFailsWithTheCallersException() {
        Deadline deadline = Deadline.after(Duration.ZERO);

        assertThatThrownBy(() -> deadline.awaitOrThrow(() -> false, Duration.ofMillis(10),
                () -> new IllegalStateException("did not happen within 0 s")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("did not happen within 0 s");
    }

    @Test
    void aMetConditionNeedsNoTimeLeft() throws InterruptedException {
        assertThat(Deadline.after(Duration.ZERO).await(() -> true, Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void anInterruptEndsThePauseEvenWithNoTimeLeft() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> Deadline.after(Duration.ZERO).sleep(Duration.ofMinutes(1)))
                .isInstanceOf(InterruptedException.class);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> Deadline.after(Duration.ofMinutes(1)).await(() -> false, Duration.ofMinutes(1)))
                .isInstanceOf(InterruptedException.class);
    }

    @Test
    void remainingNeverGoesNegativeAndABudgetMustNotBe() {
        Deadline deadline = Deadline.after(Duration.ZERO);

        assertThat(deadline.remaining()).isEqualTo(Duration.ZERO);
        assertThat(deadline.budget()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> Deadline.after(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
