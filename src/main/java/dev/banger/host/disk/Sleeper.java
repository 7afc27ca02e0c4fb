package dev.banger.host.disk;

import java.time.Duration;

/** Waits between retries; a seam so tests advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    /** The real thing. */
    Sleeper SYSTEM = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
}
