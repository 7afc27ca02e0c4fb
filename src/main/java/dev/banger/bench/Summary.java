package dev.banger.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * p50, p95 and max of one measured figure over the runs, by the nearest-rank method (so every
 * figure reported is one that was measured). Immutable value.
 *
 * @param n   how many measurements
 * @param p50 median, in milliseconds
 * @param p95 95th percentile, in milliseconds
 * @param max largest, in milliseconds
 */
public record Summary(int n, double p50, double p95, double max) {
    /** The summary of {@code millis}; at least one value is needed. */
    public static Summary of(Collection<Double> millis) {
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no measurements to summarise");
        }
        List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        return new Summary(sorted.size(), rank(sorted, 50), rank(sorted, 95), sorted.getLast());
    }

    private static double rank(List<Double> sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
