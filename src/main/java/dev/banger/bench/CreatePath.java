package dev.banger.bench;

/**
 * Which way a benchmarked create was asked to go: the fast paths banger uses (restoring a golden
 * snapshot where one of the shape exists), the deliberate slow path, or a cold boot of the kernel
 * on the fast paths even where a snapshot exists ({@code cold: true}).
 */
public enum CreatePath {
    FAST,
    SLOW,
    COLD;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
