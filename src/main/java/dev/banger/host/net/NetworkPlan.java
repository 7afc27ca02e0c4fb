package dev.banger.host.net;

import dev.banger.host.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of commands that {@link HostNetwork} runs one after the other, made by
 * {@link NetworkPlanner}. An empty plan means "nothing to do". Immutable value.
 *
 * @param commands the steps in order; each is an argument list, some carry stdin (an nft script)
 */
public record NetworkPlan(List<Command> commands) {
    public static final NetworkPlan EMPTY = new NetworkPlan(List.of());

    public NetworkPlan {
        commands = List.copyOf(Objects.requireNonNull(commands, "commands"));
    }

    public static NetworkPlan of(Command... commands) {
        return new NetworkPlan(List.of(commands));
    }

    /** The argument lists of the steps, for tests and logs. */
    public List<List<String>> argvs() {
        return commands.stream().map(Command::argv).toList();
    }

    public boolean isEmpty() {
        return commands.isEmpty();
    }

    public NetworkPlan then(NetworkPlan next) {
        List<Command> all = new ArrayList<>(commands);
        all.addAll(next.commands());
        return new NetworkPlan(all);
    }
}
