package dev.banger.vm;

import dev.banger.model.StageRunner;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link StageRunner} that records {@code started X}, {@code done X}, {@code failed X} and
 * {@code rolled back X} in order, and can run a hook as a stage starts (to line up a concurrent
 * request with a create in progress). Thread-safe.
 */
public final class RecordingStages implements StageRunner {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<String, Runnable> onStart = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();

    RecordingStages onStart(String stage, Runnable hook) {
        onStart.put(stage, hook);
        return this;
    }

    @Override
    public <T> T call(String stage, Supplier<T> work) {
        events.add("started " + stage);
        onStart.getOrDefault(stage, () -> { }).run();
        try {
            T result = work.get();
            events.add("done " + stage);
            return result;
        } catch (RuntimeException e) {
            events.add("failed " + stage);
            errors.put(stage, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    @Override
    public void rolledBack(String stage) {
        events.add("rolled back " + stage);
    }

    List<String> events() {
        return List.copyOf(events);
    }

    /** The stages that finished, in order. */
    List<String> done() {
        return events.stream().filter(e -> e.startsWith("done ")).map(e -> e.substring(5)).toList();
    }

    /** The stages that failed, each with its error's message. */
    Map<String, String> failed() {
        return Map.copyOf(errors);
    }

    public List<String> rolledBackStages() {
        return events.stream().filter(e -> e.startsWith("rolled back ")).map(e -> e.substring(12)).toList();
    }
}
