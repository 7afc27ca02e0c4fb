package dev.banger.daemon;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * A user's groups, primary and supplementary, as NSS knows them ({@code id -Gn}). Used for the
 * socket check because SO_PEERCRED reports only the primary group. Thread-safe.
 */
final class HostGroupLookup implements Function<String, Set<String>> {
    private final HostCommands host;

    HostGroupLookup(HostCommands host) {
        this.host = host;
    }

    @Override
    public Set<String> apply(String user) {
        // "--" keeps a user name starting with '-' from being read as an option.
        CommandResult result = host.exec(Command.of("id", "-Gn", "--", user).withTimeout(Duration.ofSeconds(5)));
        if (!result.succeeded()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(result.stdout().strip().split("\\s+")));
    }
}
