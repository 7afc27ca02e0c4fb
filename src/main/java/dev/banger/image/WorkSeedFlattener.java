package dev.banger.image;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Applies a {@link WorkSeedLayout.FlattenPlan} to a mounted or unpacked work tree with plain
 * renames (java.nio only, same filesystem, nothing copied). The whole plan is checked against the
 * tree before the first rename, so a plan that no longer fits changes nothing. Stateless and
 * thread-safe, but two flatteners must not work on the same tree at once.
 */
public final class WorkSeedFlattener {
    private WorkSeedFlattener() {}

    /** Inspects {@code root}, plans, and applies; returns the plan it applied (empty when already flat). */
    public static WorkSeedLayout.FlattenPlan flatten(Path root) {
        WorkSeedLayout.FlattenPlan plan = WorkSeedLayout.flattenPlan(WorkSeedLayout.inspect(root));
        apply(root, plan);
        return plan;
    }

    /**
     * Applies {@code plan} under {@code root}.
     *
     * @throws ImageException when a source is missing or a target exists before any change, or a
     *                        rename fails midway (the message names the step so it can be finished by hand)
     */
    public static void apply(Path root, WorkSeedLayout.FlattenPlan plan) {
        check(root, plan);
        for (WorkSeedLayout.Move move : plan.moves()) {
            try {
                Files.move(root.resolve(move.from()), root.resolve(move.to()));
            } catch (IOException e) {
                throw ImageException.io("flattening " + root + " stopped moving " + move.from() + " to " + move.to()
                        + ": " + e.getMessage() + "; finish the remaining moves by hand", e);
            }
        }
        if (plan.removeDir().isPresent()) {
            Path dir = root.resolve(plan.removeDir().get());
            try {
                Files.delete(dir);
            } catch (DirectoryNotEmptyException e) {
                throw ImageException.precondition("flattened " + root + " but " + dir + " is not empty; inspect and delete it");
            } catch (IOException e) {
                throw ImageException.io("cannot remove " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    private static void check(Path root, WorkSeedLayout.FlattenPlan plan) {
        // Simulates the moves on names alone: a source must exist (or be made by an earlier move
        // through a moved parent), a target must not.
        java.util.Set<Path> created = new java.util.HashSet<>();
        java.util.Set<Path> removed = new java.util.HashSet<>();
        for (WorkSeedLayout.Move move : plan.moves()) {
            Path from = move.from();
            boolean fromExists = created.contains(from) || existsAfterMoves(root, from, plan, removed);
            if (!fromExists) {
                throw ImageException.precondition("cannot flatten " + root + ": " + from + " does not exist; nothing was changed");
            }
            if (!removed.contains(move.to()) && (created.contains(move.to()) || exists(root.resolve(move.to())))) {
                throw ImageException.precondition("cannot flatten " + root + ": " + move.to()
                        + " already exists; nothing was changed");
            }
            removed.add(from);
            created.remove(from);
            created.add(move.to());
        }
    }

    /** Whether {@code path} will exist, following the staging rename of its first component. */
    private static boolean existsAfterMoves(Path root, Path path, WorkSeedLayout.FlattenPlan plan, java.util.Set<Path> removed) {
        if (removed.contains(path)) {
            return false;
        }
        if (exists(root.resolve(path))) {
            return true;
        }
        for (WorkSeedLayout.Move earlier : plan.moves()) {
            if (removed.contains(earlier.from()) && path.startsWith(earlier.to()) && !path.equals(earlier.to())) {
                return exists(root.resolve(earlier.from()).resolve(earlier.to().relativize(path)));
            }
        }
        return false;
    }

    private static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }
}
