package dev.banger.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Test fake for {@link HostCommands}: records every argv it is asked to run and answers from
 * canned responses keyed by argv prefix. Unmatched commands succeed with empty output.
 */
public final class RecordingHostCommands implements HostCommands {
    private final List<List<String>> recorded = new ArrayList<>();
    private final Map<List<String>, Function<Command, CommandResult>> answers = new LinkedHashMap<>();
    private final Set<String> programs = new HashSet<>();

    /** Answers commands whose argv starts with {@code prefix}. Later registrations win. */
    public synchronized RecordingHostCommands answer(List<String> prefix, int exitCode, String stdout, String stderr) {
        answers.put(List.copyOf(prefix), c -> new CommandResult(c, exitCode, stdout, stderr, Duration.ZERO));
        return this;
    }

    public synchronized RecordingHostCommands answer(List<String> prefix, Function<Command, CommandResult> answer) {
        answers.put(List.copyOf(prefix), answer);
        return this;
    }

    /** Declares programs that {@link #available(String)} reports as installed. */
    public synchronized RecordingHostCommands withPrograms(String... names) {
        programs.addAll(List.of(names));
        return this;
    }

    @Override
    public synchronized CommandResult exec(Command command) {
        recorded.add(command.argv());
        Function<Command, CommandResult> match = null;
        int bestLength = -1;
        for (Map.Entry<List<String>, Function<Command, CommandResult>> entry : answers.entrySet()) {
            List<String> prefix = entry.getKey();
            if (prefix.size() <= command.argv().size()
                    && command.argv().subList(0, prefix.size()).equals(prefix)
                    && prefix.size() >= bestLength) {
                match = entry.getValue();
                bestLength = prefix.size();
            }
        }
        return match != null ? match.apply(command) : new CommandResult(command, 0, "", "", Duration.ZERO);
    }

    @Override
    public synchronized boolean available(String program) {
        return programs.contains(program);
    }

    public synchronized List<List<String>> recorded() {
        return List.copyOf(recorded);
    }
}
