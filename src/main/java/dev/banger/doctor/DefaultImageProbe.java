package dev.banger.doctor;

/**
 * Finds the default image and inspects its files for {@link DefaultImageCheck}. The doctor cannot
 * read images itself ({@code image} and {@code store} are above it), so the caller supplies this:
 * the daemon from its own store, {@code banger doctor} without a daemon from the database read
 * read-only. Implementations never throw (trouble is {@link DefaultImageState.Condition#UNKNOWN}
 * or {@link DefaultImageState.Condition#UNREADABLE}) and must be safe to call from any thread.
 */
@FunctionalInterface
public interface DefaultImageProbe {
    DefaultImageState inspect();
}
