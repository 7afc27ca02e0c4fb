package dev.banger.vm.create;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void stepsRunAtTheSameTime() {
        CountDownLatch both = new CountDownLatch(2);
        Runnable meetTheOther = () -> {
            both.countDown();
            try {
                // Only returns true when the other step runs at the same time.
                if (!both.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the other step never ran alongside");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };

        Parallel.run(meetTheOther, meetTheOther);

        assertThat(both.getCount()).isZero();
    }

    @Test
    void aFailureIsThrownOnlyAfterEveryOtherStepHasEnded() {
        CountDownLatch failed = new CountDownLatch(1);
        AtomicBoolean slowStepFinished = new AtomicBoolean();

        assertThatThrownBy(() -> Parallel.run(
                () -> {
                    failed.countDown();
                    throw new IllegalArgumentException("root disk failed");
                },
                () -> {
                    try {
                        failed.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    slowStepFinished.set(true);
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("root disk failed");

        assertThat(slowStepFinished).isTrue();
    }

    @Test
    void everyFailureIsReportedTheFirstWithTheOthersSuppressed() {
        assertThatThrownBy(() -> Parallel.run(
                () -> {
                    throw new IllegalStateException("first");
                },
                () -> {
                    throw new IllegalStateException("second");
                }))
                .hasMessage("first")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("second"));
    }
}
