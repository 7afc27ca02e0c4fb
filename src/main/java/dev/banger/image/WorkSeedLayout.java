package dev.banger.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Tells a flat work disk (the contents of {@code /root} at the filesystem root, as banger writes
 * it) from a nested one (the home tree under a {@code root/} directory, as a naive
 * {@code mkfs.ext4 -d} of the rootfs's parent would make), and plans the moves that flatten a nested
 * one. {@link #inspect(Path)} is the only method that reads the disk; classification and planning
 * work on a {@link Listing} and are pure. Stateless and thread-safe.
 */
public final class WorkSeedLayout {
    /** Files only a home directory has; their presence says where the home tree is. */
    static final Set<String> HOME_MARKERS = Set.of(".bashrc", ".profile", ".bash_profile", ".ssh");
    /** The directory a nested layout keeps the home tree in. */
    static final String NESTED_DIR = "root";
    /** Made by mkfs.ext4 at every filesystem root; neither flat nor nested evidence. */
    static final String LOST_FOUND = "lost+found";
    /** Where the nested directory is parked while its children move up, so a child named root cannot clash. */
    static final String STAGING_DIR = ".banger-flatten";

    private WorkSeedLayout() {}

    /** The two layouts a work disk can be repaired between. */
    public enum Kind {
        /** {@code /root}'s contents at the top (or an empty disk): what banger expects. */
        FLAT,
        /** The home tree under {@code root/} with no home files at the top: needs {@link #flattenPlan}. */
        NESTED
    }

    /**
     * Names at the top of a work disk and inside its {@code root/} directory. Immutable value.
     *
     * @param top    names directly under the disk's root
     * @param nested names directly under {@code root/}, empty when there is no such directory
     */
    public record Listing(SortedSet<String> top, SortedSet<String> nested) {
        public Listing {
            top = new TreeSet<>(top);
            nested = new TreeSet<>(nested);
        }

        public static Listing of(Set<String> top, Set<String> nested) {
            return new Listing(new TreeSet<>(top), new TreeSet<>(nested));
        }
    }

    /**
     * One rename inside the disk, both paths relative to its root. Immutable value.
     *
     * @param from existing entry
     * @param to   where it goes; must not exist yet
     */
    public record Move(Path from, Path to) {
        public Move {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * The repair of a nested layout: apply {@link #moves()} in order, then delete the then-empty
     * {@link #removeDir()}. An already-flat disk has no moves and nothing to remove. Immutable value.
     */
    public record FlattenPlan(List<Move> moves, java.util.Optional<Path> removeDir) {
        public FlattenPlan {
            moves = List.copyOf(moves);
            Objects.requireNonNull(removeDir, "removeDir");
        }

        public static final FlattenPlan NOTHING = new FlattenPlan(List.of(), java.util.Optional.empty());

        public boolean isEmpty() {
            return moves.isEmpty() && removeDir.isEmpty();
        }
    }

    /** Lists the top of the work tree at {@code root} and its {@code root/} directory (symlinks are not followed). */
    public static Listing inspect(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw ImageException.invalid("work tree " + root + " is not a directory");
        }
        Path nested = root.resolve(NESTED_DIR);
        SortedSet<String> nestedNames = Files.isDirectory(nested, LinkOption.NOFOLLOW_LINKS) ? names(nested) : new TreeSet<>();
        return new Listing(names(root), nestedNames);
    }

    private static SortedSet<String> names(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            SortedSet<String> names = new TreeSet<>();
            children.forEach(child -> names.add(child.getFileName().toString()));
            return names;
        } catch (IOException e) {
            throw ImageException.io("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Classifies a listing.
     *
     * @throws ImageException when home files are both at the top and under {@code root/}, or the
     *                        home tree is under {@code root/} but other entries sit beside it:
     *                        flattening would have to guess which copy is the user's
     */
    public static Kind classify(Listing listing) {
        SortedSet<String> topMarkers = markers(listing.top());
        SortedSet<String> nestedMarkers = markers(listing.nested());
        if (nestedMarkers.isEmpty()) {
            return Kind.FLAT;
        }
        if (!topMarkers.isEmpty()) {
            throw ImageException.precondition("work disk layout is ambiguous: home files " + topMarkers
                    + " are at the top and " + nestedMarkers + " under " + NESTED_DIR
                    + "/; merge them by hand (keep the copy you use) and delete the other");
        }
        SortedSet<String> strays = new TreeSet<>(listing.top());
        strays.remove(NESTED_DIR);
        strays.remove(LOST_FOUND);
        if (!strays.isEmpty()) {
            throw ImageException.precondition("work disk has its home tree under " + NESTED_DIR
                    + "/ but also " + strays + " beside it; move those into " + NESTED_DIR
                    + "/ or out of the disk, then repair again");
        }
        return Kind.NESTED;
    }

    /**
     * Plans the flattening of a listing: nothing for a flat one; for a nested one, park
     * {@code root/} under a staging name, move each child to the top, remove the staging directory.
     *
     * @throws ImageException as {@link #classify}, or when the staging name is already taken
     */
    public static FlattenPlan flattenPlan(Listing listing) {
        if (classify(listing) == Kind.FLAT) {
            return FlattenPlan.NOTHING;
        }
        if (listing.top().contains(STAGING_DIR)) {
            throw ImageException.precondition("work disk already has " + STAGING_DIR
                    + " (an interrupted repair?); inspect it, move its contents to the top, delete it, and repair again");
        }
        Path staging = Path.of(STAGING_DIR);
        List<Move> moves = new ArrayList<>();
        moves.add(new Move(Path.of(NESTED_DIR), staging));
        for (String name : listing.nested()) {
            if (name.equals(LOST_FOUND) && listing.top().contains(LOST_FOUND)) {
                throw ImageException.precondition("work disk has " + LOST_FOUND + " both at the top and under "
                        + NESTED_DIR + "/; delete the inner one if it is empty, then repair again");
            }
            moves.add(new Move(staging.resolve(name), Path.of(name)));
        }
        return new FlattenPlan(moves, java.util.Optional.of(staging));
    }

    private static SortedSet<String> markers(Set<String> names) {
        SortedSet<String> found = new TreeSet<>(names);
        found.retainAll(HOME_MARKERS);
        return found;
    }
}
