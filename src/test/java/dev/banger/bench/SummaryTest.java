package dev.banger.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void percentilesAreNearestRankSoEachIsAMeasuredValue() {
        List<Double> oneToTwenty = IntStream.rangeClosed(1, 20).mapToObj(i -> (double) i).toList().reversed();

        Summary summary = Summary.of(oneToTwenty);

        assertThat(summary).isEqualTo(new Summary(20, 10, 19, 20));
    }

    @Test
    void oneMeasurementIsEveryPercentile() {
        assertThat(Summary.of(List.of(42.5))).isEqualTo(new Summary(1, 42.5, 42.5, 42.5));
    }

    @Test
    void nothingToSummariseIsRefused() {
        assertThatThrownBy(() -> Summary.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
