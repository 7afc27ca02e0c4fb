package dev.banger.host;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps up to {@code size} ready-made items of the wanted kind, made one at a time in the
 * background by one virtual filler thread, so that a taker gets one without waiting for it to be
 * made. What is wanted can change ({@link #want}): idle items no longer wanted are discarded by the
 * filler. A failed make stalls filling until the next take, offer or change of want, so a broken
 * host does not spin; {@link #awaitFull} reports the stall at once. The TAP pool and the warm
 * machines are both one of these. Safe for concurrent use.
 *
 * @param <T> the items; compared with {@code equals} only by the caller's predicates
 */
public final class FilledPool<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FilledPool.class);

    /** Where the items come from and go. */
    public interface Source<T> {
        /** Makes one item; called on the filler thread, outside the pool's lock. */
        T make();

        /** Gets rid of an item the pool will not keep; should not throw. */
        void discard(T item);
    }

    private final String name;
    private final int size;
    private final Runnable beforeFill;
    private final Source<T> source;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<T> idle = new ArrayDeque<>();
    private Predicate<? super T> wanted;
    private boolean stalled;
    private boolean closed;
    private Thread filler;

    /**
     * @param name       the filler thread's name, and how logs call the pool
     * @param beforeFill run by the filler before each item it makes, outside the lock: it may wait
     *                   (bounded) for a better moment, e.g. until no create is busy on the host
     */
    public FilledPool(String name, int size, Runnable beforeFill, Source<T> source) {
        this.name = Objects.requireNonNull(name, "name");
        this.size = size;
        this.beforeFill = Objects.requireNonNull(beforeFill, "beforeFill");
        this.source = Objects.requireNonNull(source, "source");
    }

    public int size() {
        return size;
    }

    /** Takes {@code adopted} as idle items and starts filling; later calls only add nothing and change nothing. */
    public void start(Collection<? extends T> adopted) {
        lock.lock();
        try {
            if (filler != null || closed) {
                return;
            }
            idle.addAll(adopted);
            filler = Thread.ofVirtual().name(name).start(this::fill);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean started() {
        return locked(() -> filler != null);
    }

    public boolean closed() {
        return locked(() -> closed);
    }

    /** Fills with items {@code wanted} accepts from now on (null: none); idle items it refuses are discarded. */
    public void want(Predicate<? super T> wanted) {
        lock.lock();
        try {
            this.wanted = wanted;
            stalled = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest idle item {@code which} accepts, taken out (the pool refills); empty when none. */
    public Optional<T> take(Predicate<? super T> which) {
        lock.lock();
        try {
            stalled = false;
            changed.signalAll();
            for (var it = idle.iterator(); it.hasNext(); ) {
                T item = it.next();
                if (which.test(item)) {
                    it.remove();
                    return Optional.of(item);
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Takes out every idle item {@code which} accepts; the caller discards them. */
    public List<T> remove(Predicate<? super T> which) {
        lock.lock();
        try {
            List<T> removed = new ArrayList<>();
            idle.removeIf(item -> which.test(item) && removed.add(item));
            stalled = false;
            changed.signalAll();
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps {@code item} when it is wanted, the pool is open and not full; false leaves it to the caller. */
    public boolean offer(T item) {
        lock.lock();
        try {
            boolean keep = !closed && wanted != null && wanted.test(item) && wantedIdle() < size;
            if (keep) {
                idle.addLast(item);
                stalled = false;
                changed.signalAll();
            }
            return keep;
        } finally {
            lock.unlock();
        }
    }

    /** The idle items, wanted or not, as they are now. */
    public List<T> idle() {
        return locked(() -> List.copyOf(idle));
    }

    /** How many wanted items are idle. */
    public int idleCount() {
        return locked(this::wantedIdle);
    }

    /**
     * Waits until {@code size} wanted items are idle.
     *
     * @return true when they are (at once when nothing is wanted); false at the deadline, when the
     *         pool closed short of full, or as soon as a make failed
     */
    public boolean awaitFull(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (wanted != null && wantedIdle() < size) {
                if (closed || stalled || remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops filling, waiting at most {@code grace} for a make in flight (then interrupting it and
     * waiting as long again). Idle items stay; {@link #drain} takes them.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration grace) {
        Thread thread;
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            thread = filler;
        } finally {
            lock.unlock();
        }
        if (thread == null) {
            return;
        }
        try {
            if (!thread.join(grace)) {
                LOG.warn("{}: filling did not stop within {} s; interrupting it", name, grace.toSeconds());
                thread.interrupt();
                thread.join(grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Takes out every idle item, wanted or not. */
    public List<T> drain() {
        return remove(item -> true);
    }

    private int wantedIdle() {
        return wanted == null ? 0 : (int) idle.stream().filter(wanted).count();
    }

    private void fill() {
        while (true) {
            List<T> unwanted = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && (wanted == null || stalled || idle.size() >= size && wantedIdle() == idle.size())) {
                    changed.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                Predicate<? super T> current = wanted;
                idle.removeIf(item -> !current.test(item) && unwanted.add(item));
            } finally {
                lock.unlock();
            }
            if (!unwanted.isEmpty()) {
                unwanted.forEach(source::discard);
                continue;
            }
            T made;
            try {
                beforeFill.run();
                made = source.make();
            } catch (RuntimeException e) {
                LOG.warn("{}: could not make one; filling again when next asked: {}", name, e.getMessage());
                lock.lock();
                try {
                    stalled = true;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                continue;
            }
            if (!offer(made)) {
                // Offers or a change of want filled the pool, or it closed, while this one was made.
                source.discard(made);
            }
        }
    }

    private <R> R locked(java.util.function.Supplier<R> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
