package dev.banger.host;

import java.time.Duration;

/** What a finished program left behind. */
public record CommandResult(Command command, int exitCode, String stdout, String stderr, Duration elapsed) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
