package dev.banger.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FilledPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicInteger made = new AtomicInteger();
    private final List<String> discarded = new CopyOnWriteArrayList<>();
    private volatile String kind = "a";
    private volatile boolean failing;
    private final FilledPool<String> pool = new FilledPool<>("test-pool", 2, () -> { }, new FilledPool.Source<>() {
        @Override
        public String make() {
            if (failing) {
                throw new IllegalStateException("cannot make");
            }
            return kind + made.incrementAndGet();
        }

        @Override
        public void discard(String item) {
            discarded.add(item);
        }
    });

    @AfterEach
    void close() {
        pool.close(WAIT);
    }

    @Test
    void fillsToItsSizeAndRefillsWhatIsTaken() throws Exception {
        pool.want(item -> item.startsWith("a"));
        pool.start(List.of());
        assertThat(pool.awaitFull(WAIT)).isTrue();

        assertThat(pool.take(item -> true)).contains("a1");

        assertThat(pool.awaitFull(WAIT)).isTrue();
        assertThat(made).hasValue(3);
        assertThat(pool.idleCount()).isEqualTo(2);
    }

    @Test
    void aChangeOfWantDiscardsTheIdleItemsNoLongerWanted() throws Exception {
        pool.want(item -> item.startsWith("a"));
        pool.start(List.of());
        assertThat(pool.awaitFull(WAIT)).isTrue();

        kind = "b";
        pool.want(item -> item.startsWith("b"));

        assertThat(pool.awaitFull(WAIT)).isTrue();
        assertThat(pool.drain()).allMatch(item -> item.startsWith("b")).hasSize(2);
        assertThat(discarded).containsExactlyInAnyOrder("a1", "a2");
    }

    @Test
    void aFailedMakeStallsFillingUntilTheNextTake() throws Exception {
        failing = true;
        pool.want(item -> true);
        pool.start(List.of());

        assertThat(pool.awaitFull(WAIT)).as("reported at once, not at the deadline").isFalse();

        failing = false;
        assertThat(pool.take(item -> true)).isEmpty();
        assertThat(pool.awaitFull(WAIT)).isTrue();
    }

    @Test
    void anOfferBeyondTheSizeOrOfAnUnwantedItemIsLeftToTheCaller() {
        pool.want(item -> item.startsWith("a"));

        assertThat(pool.offer("b9")).isFalse();
        assertThat(pool.offer("a8")).isTrue();
        assertThat(pool.offer("a9")).isTrue();
        assertThat(pool.offer("a10")).isFalse();
        assertThat(pool.idleCount()).isEqualTo(2);
    }
}
