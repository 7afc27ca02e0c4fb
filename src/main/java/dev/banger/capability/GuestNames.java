package dev.banger.capability;

/** The DNS name table of guests ({@code <vm>.<domain>}). Implementations are thread-safe. */
public interface GuestNames {
    void publish(String vm, String ip);

    void unpublish(String vm);
}
