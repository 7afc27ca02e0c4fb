package dev.banger.host.net;

import dev.banger.model.ErrorKind;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps up to {@code size} TAP devices created, attached to the bridge and up, so a VM create
 * takes one without waiting for {@code ip}. Every TAP it hands out is named
 * {@code tap-pool-<N>} with the lowest free N, whether it was warm or made on demand, so a
 * released TAP can go back into the pool and a restarted daemon can adopt the idle ones; the VM
 * records the name it got. Safe for concurrent use.
 *
 * <p>{@link #acquire()} returns a warm TAP at once, or creates one in the caller's thread when
 * none is ready; either way it wakes the refiller, one virtual thread that tops the pool up in
 * the background. {@link #release(String)} keeps the TAP when the pool has room and deletes it
 * otherwise. {@link #close()} stops refilling and leaves the idle TAPs on the host for the next
 * {@link #start(Collection)} to adopt. Size 0 means every TAP is made on demand and deleted on
 * release.
 */
public final class TapPool implements AutoCloseable {
    public static final String PREFIX = "tap-pool-";
    public static final int MAX_SIZE = 64;

    private static final Logger LOG = LoggerFactory.getLogger(TapPool.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

    private final HostNetwork network;
    private final int size;
    private final Runnable beforeRefill;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the refiller may have work: a TAP was taken, or the pool closed. */
    private final Condition refillWanted = lock.newCondition();
    /** Signalled whenever the idle count changes or refilling stops, for {@link #awaitWarm}. */
    private final Condition changed = lock.newCondition();
    private final Deque<String> idle = new ArrayDeque<>();
    private final Set<String> leased = new HashSet<>();
    /** Names being created right now (by the refiller or on demand), so no two creations share a name. */
    private final Set<String> creating = new HashSet<>();
    /** Background creations in progress; they count towards the pool size, on-demand ones do not. */
    private int refillsInFlight;
    /** Set when start() begins, so it runs once; the pool serves only once {@link #refiller} is set. */
    private boolean started;
    private boolean closed;
    /** Set when a background creation failed; cleared by the next acquire or release, so failures do not spin. */
    private boolean refillStalled;
    private Thread refiller;

    public TapPool(HostNetwork network, int size) {
        this(network, size, () -> { });
    }

    /**
     * @param beforeRefill run by the refiller before each TAP it makes in the background, outside any
     *                     lock: it may wait (bounded) for a better moment, e.g. until no create is
     *                     busy on the host, whose CPU the {@code ip} processes would otherwise take
     */
    public TapPool(HostNetwork network, int size, Runnable beforeRefill) {
        this.beforeRefill = Objects.requireNonNull(beforeRefill, "beforeRefill");
        this.network = Objects.requireNonNull(network, "network");
        if (size < 0 || size > MAX_SIZE) {
            throw new NetworkException(ErrorKind.INVALID_ARGUMENT, "TAP pool size must be 0.." + MAX_SIZE + ", got " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** {@link #start(Collection)} with no TAPs in use. */
    public void start() {
        start(Set.of());
    }

    /**
     * Adopts the {@code tap-pool-*} TAPs already on the host (a daemon restart), except those in
     * {@code inUse} (the TAPs of VMs that still run, which count as handed out and may be
     * released later); re-attaches the adopted ones, deletes any beyond the pool size, and starts
     * refilling.
     *
     * @param inUse TAP names recorded for live VMs
     */
    public void start(Collection<String> inUse) {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("the TAP pool is already started");
            }
            started = true;
        } finally {
            lock.unlock();
        }
        List<String> existing;
        try {
            existing = network.listTaps().stream()
                    .filter(TapPool::isPoolName)
                    .sorted(Comparator.comparingLong(TapPool::index))
                    .toList();
        } catch (RuntimeException e) {
            lock.lock();
            try {
                started = false;
            } finally {
                lock.unlock();
            }
            throw e;
        }
        List<String> adopted = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        for (String name : existing) {
            if (inUse.contains(name)) {
                busy.add(name);
            } else if (adopted.size() < size && adopt(name)) {
                adopted.add(name);
            } else if (adopted.size() >= size) {
                deleteQuietly(name);
            }
        }
        lock.lock();
        try {
            idle.addAll(adopted);
            leased.addAll(busy);
            refiller = Thread.ofVirtual().name("tap-pool-refill").start(this::refill);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!adopted.isEmpty()) {
            LOG.info("adopted {} warm TAP(s) from an earlier run: {}", adopted.size(), adopted);
        }
    }

    /**
     * A TAP attached to the bridge and up, for one VM's exclusive use until {@link #release}.
     *
     * @throws NetworkException when no TAP is ready and creating one fails, or the pool is closed
     */
    public String acquire() {
        String name;
        lock.lock();
        try {
            requireOpen();
            refillStalled = false;
            refillWanted.signal();
            name = idle.pollFirst();
            if (name != null) {
                leased.add(name);
                changed.signalAll();
                return name;
            }
            name = freeName();
            creating.add(name);
        } finally {
            lock.unlock();
        }
        boolean made = false;
        try {
            network.createTap(name);
            made = true;
        } finally {
            lock.lock();
            try {
                creating.remove(name);
                if (made) {
                    leased.add(name);
                }
            } finally {
                lock.unlock();
            }
        }
        LOG.debug("no warm TAP ready; created {} on demand", name);
        return name;
    }

    /**
     * Gives back a TAP from {@link #acquire()} (or named in use at start) whose VM no longer uses
     * it: it becomes warm again when the pool has room, else it is deleted.
     *
     * @throws NetworkException (INVALID_ARGUMENT) when the TAP was not handed out by this pool (nor
     *                          named in use at start); teardown then falls back to
     *                          {@link HostNetwork#deleteTap(String)}, which tolerates a missing TAP
     */
    public void release(String name) {
        InterfaceName.require("TAP", name);
        boolean keep;
        lock.lock();
        try {
            if (!leased.remove(name)) {
                throw new NetworkException(ErrorKind.INVALID_ARGUMENT, "TAP " + name + " was not handed out by this pool");
            }
            keep = !closed && idle.size() < size;
            if (keep) {
                idle.addLast(name);
                refillStalled = false;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (!keep) {
            network.deleteTap(name);
        }
    }

    /** How many TAPs are warm right now. */
    public int idleCount() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the pool holds {@code size} warm TAPs.
     *
     * @return true when it does; false at the deadline, when the pool closed, or as soon as a
     *         background creation failed (so a broken host is reported without waiting it out)
     */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (idle.size() < size) {
                if (closed || refillStalled || remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stops refilling (waiting for a creation in flight) and leaves idle TAPs on the host. */
    @Override
    public void close() {
        Thread thread;
        lock.lock();
        try {
            closed = true;
            refillWanted.signalAll();
            changed.signalAll();
            thread = refiller;
        } finally {
            lock.unlock();
        }
        if (thread == null) {
            return;
        }
        try {
            if (!thread.join(CLOSE_GRACE)) {
                LOG.warn("TAP pool refill did not stop within {}; interrupting it", CLOSE_GRACE);
                thread.interrupt();
                thread.join(CLOSE_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean isPoolName(String name) {
        return name.startsWith(PREFIX) && name.length() > PREFIX.length()
                && name.substring(PREFIX.length()).chars().allMatch(c -> c >= '0' && c <= '9')
                && InterfaceName.isValid(name);
    }

    private static long index(String name) {
        return Long.parseLong(name.substring(PREFIX.length()));
    }

    private void refill() {
        while (true) {
            String name;
            lock.lock();
            try {
                while (!closed && (refillStalled || idle.size() + refillsInFlight >= size)) {
                    refillWanted.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                name = freeName();
                creating.add(name);
                refillsInFlight++;
            } finally {
                lock.unlock();
            }
            boolean made = false;
            try {
                beforeRefill.run();
                network.createTap(name);
                made = true;
            } catch (RuntimeException e) {
                LOG.warn("could not create warm TAP {}; refilling again on the next acquire: {}", name, e.getMessage());
            }
            boolean surplus;
            lock.lock();
            try {
                creating.remove(name);
                refillsInFlight--;
                surplus = made && (closed || idle.size() >= size);
                if (made && !surplus) {
                    idle.addLast(name);
                }
                if (!made) {
                    refillStalled = true;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            if (surplus) {
                // Releases filled the pool while this TAP was being made.
                deleteQuietly(name);
            }
        }
    }

    /** The lowest {@code tap-pool-N} not idle, handed out or being created. Call with the lock held. */
    private String freeName() {
        for (int n = 0; ; n++) {
            String candidate = PREFIX + n;
            if (!idle.contains(candidate) && !leased.contains(candidate) && !creating.contains(candidate)) {
                return candidate;
            }
        }
    }

    private boolean adopt(String name) {
        try {
            network.attachTap(name);
            return true;
        } catch (NetworkException e) {
            LOG.warn("could not adopt TAP {}, deleting it: {}", name, e.getMessage());
            deleteQuietly(name);
            return false;
        }
    }

    private void deleteQuietly(String name) {
        try {
            network.deleteTap(name);
        } catch (NetworkException e) {
            LOG.warn("could not delete TAP {}: {}", name, e.getMessage());
        }
    }

    private void requireOpen() {
        // The refiller exists once start() has adopted what is on the host; handing out names
        // before that could collide with a TAP about to be adopted.
        if (refiller == null) {
            throw new NetworkException(ErrorKind.PRECONDITION_FAILED, "the TAP pool is not started");
        }
        if (closed) {
            throw new NetworkException(ErrorKind.PRECONDITION_FAILED, "the TAP pool is closed");
        }
    }
}
