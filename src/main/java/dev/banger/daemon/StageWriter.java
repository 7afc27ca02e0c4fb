package dev.banger.daemon;

import dev.banger.store.OperationRepository;
import dev.banger.store.OperationRepository.StageChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes stage starts and ends behind the operations that make them: {@link #submit} queues a
 * change stamped with its own time and returns, one virtual thread commits whatever has queued up
 * in one transaction. Creates at once make many stage changes in their host side; written one
 * transaction each, under the store's single write lock, they held it for much of a batch and every
 * create queued behind it (docs/bench.md). A status read may lag a change by one commit; {@link #flush}
 * makes an operation's changes durable before it ends. A daemon killed in between loses the changes
 * not yet written, and the next start fails the operation as interrupted all the same. Thread-safe.
 */
final class StageWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageWriter.class);
    /** How long {@link #flush} waits for the writer; the store's own busy timeout is 5 s. */
    static final Duration FLUSH_LIMIT = Duration.ofSeconds(10);

    private final OperationRepository operations;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final Condition written = lock.newCondition();
    private final List<StageChange> pending = new ArrayList<>();
    /** Changes submitted and changes handled (written, or dropped after a store error), counted from the start. */
    private long submitted;
    private long handled;
    private boolean closed;
    private final Thread writer;

    StageWriter(OperationRepository operations) {
        this.operations = operations;
        this.writer = Thread.ofVirtual().name("stage-writer").start(this::run);
    }

    /** Queues a change; after {@link #close} it is written at once by the caller. */
    void submit(StageChange change) {
        lock.lock();
        try {
            if (!closed) {
                pending.add(change);
                submitted++;
                queued.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        operations.recordStages(List.of(change));
    }

    /**
     * Waits until every change submitted before this call is written, at most {@link #FLUSH_LIMIT}.
     * Returns false when the limit ran out.
     */
    boolean flush() {
        lock.lock();
        try {
            long target = submitted;
            long left = FLUSH_LIMIT.toNanos();
            while (handled < target) {
                if (left <= 0) {
                    return false;
                }
                left = written.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<StageChange> batch;
            lock.lock();
            try {
                while (pending.isEmpty() && !closed) {
                    queued.awaitUninterruptibly();
                }
                if (pending.isEmpty()) {
                    return;
                }
                batch = List.copyOf(pending);
                pending.clear();
            } finally {
                lock.unlock();
            }
            try {
                operations.recordStages(batch);
            } catch (RuntimeException e) {
                // Progress records only: the operations go on, and their end is still recorded.
                LOG.warn("cannot record {} stage change(s): {}", batch.size(), e.getMessage());
            }
            lock.lock();
            try {
                handled += batch.size();
                written.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Writes what is queued and stops the writer; later changes are written by their submitter. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            if (!writer.join(FLUSH_LIMIT)) {
                LOG.warn("stage changes still being written after {} s", FLUSH_LIMIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: whether the writer thread has stopped. */
    boolean stopped() {
        return !writer.isAlive();
    }
}
