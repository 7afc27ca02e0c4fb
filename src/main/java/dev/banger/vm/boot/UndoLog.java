package dev.banger.vm.boot;

import dev.banger.model.StageRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undos of one create (or boot), each pushed by the stage that made the change, beside it.
 * {@link #rollBack} runs them latest stage first ({@link CreateStage} order) and, within a stage,
 * newest first: the same order whichever of the side-by-side stages finished first. A failing
 * undo is logged and the rest still run. Thread-safe (side-by-side stages push concurrently).
 */
public final class UndoLog {
    private static final Logger LOG = LoggerFactory.getLogger(UndoLog.class);

    /** One stage's undo. */
    record Undo(CreateStage stage, Runnable action) {}

    private final Deque<Undo> undos = new ConcurrentLinkedDeque<>();

    public void push(CreateStage stage, Runnable action) {
        undos.push(new Undo(stage, action));
    }

    /** The undos in the order {@link #rollBack} runs them. */
    List<Undo> inRollbackOrder() {
        List<Undo> ordered = new ArrayList<>(undos); // newest first
        ordered.sort(Comparator.comparing(Undo::stage).reversed()); // stable: newest first within a stage
        return ordered;
    }

    /** Runs every undo and marks each stage that had one rolled back. */
    public void rollBack(String vm, StageRunner stages) {
        rollBack(vm, stages, EnumSet.allOf(CreateStage.class));
    }

    /**
     * Runs the undos of {@code only} those stages, in rollback order, and marks them rolled back;
     * the others stay for a later rollback (a failed restore undoes its disks and machine, not its row).
     */
    public void rollBack(String vm, StageRunner stages, Set<CreateStage> only) {
        Set<CreateStage> undone = new LinkedHashSet<>();
        for (Undo undo : inRollbackOrder()) {
            if (!only.contains(undo.stage())) {
                continue;
            }
            undos.remove(undo);
            try {
                undo.action().run();
            } catch (RuntimeException e) {
                LOG.error("VM {}: rolling back {} failed: {}; the daemon's reconcile will retry at its next start",
                        vm, undo.stage().wireName(), e.toString());
            }
            undone.add(undo.stage());
        }
        undone.forEach(stage -> stages.rolledBack(stage.wireName()));
    }
}
