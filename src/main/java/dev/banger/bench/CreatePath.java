package dev.banger.bench;

/** Which way a benchmarked create went: the fast paths banger uses, or the deliberate slow path to compare with. */
public enum CreatePath {
    FAST,
    SLOW;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
