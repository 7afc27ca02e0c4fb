package dev.banger.host.net;

import dev.banger.host.FilledPool;
import dev.banger.model.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 * none is ready; either way it wakes the refiller, a {@link FilledPool} that tops the pool up in
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
    private final FilledPool<String> warm;
    /** Guards {@link #names}, {@link #leased} and {@link #started}. */
    private final Object lock = new Object();
    /** Every name this pool knows of: idle, handed out, or being created; so no two TAPs share one. */
    private final Set<String> names = new HashSet<>();
    private final Set<String> leased = new HashSet<>();
    /** Set when start() begins, so it runs once; the pool serves only once {@link #warm} is started. */
    private boolean started;

    public TapPool(HostNetwork network, int size) {
        this(network, size, () -> { });
    }

    /**
     * @param beforeRefill run by the refiller before each TAP it makes in the background, outside any
     *                     lock: it may wait (bounded) for a better moment, e.g. until no create is
     *                     busy on the host, whose CPU the {@code ip} processes would otherwise take
     */
    public TapPool(HostNetwork network, int size, Runnable beforeRefill) {
        Objects.requireNonNull(beforeRefill, "beforeRefill");
        this.network = Objects.requireNonNull(network, "network");
        if (size < 0 || size > MAX_SIZE) {
            throw new NetworkException(ErrorKind.INVALID_ARGUMENT, "TAP pool size must be 0.." + MAX_SIZE + ", got " + size);
        }
        this.size = size;
        this.warm = new FilledPool<>("tap-pool-refill", size, beforeRefill, new FilledPool.Source<>() {
            @Override
            public String make() {
                return create();
            }

            @Override
            public void discard(String tap) {
                deleteQuietly(tap);
                forget(tap);
            }
        });
        warm.want(tap -> true);
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
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("the TAP pool is already started");
            }
            started = true;
        }
        List<String> existing;
        try {
            existing = network.listTaps().stream()
                    .filter(TapPool::isPoolName)
                    .sorted(Comparator.comparingLong(TapPool::index))
                    .toList();
        } catch (RuntimeException e) {
            synchronized (lock) {
                started = false;
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
        synchronized (lock) {
            names.addAll(adopted);
            names.addAll(busy);
            leased.addAll(busy);
        }
        warm.start(adopted);
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
        requireOpen();
        String name = warm.take(tap -> true).orElse(null);
        if (name == null) {
            name = create();
            LOG.debug("no warm TAP ready; created {} on demand", name);
        }
        synchronized (lock) {
            leased.add(name);
        }
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
        synchronized (lock) {
            if (!leased.remove(name)) {
                throw new NetworkException(ErrorKind.INVALID_ARGUMENT, "TAP " + name + " was not handed out by this pool");
            }
        }
        if (!warm.offer(name)) {
            try {
                network.deleteTap(name);
            } finally {
                forget(name);
            }
        }
    }

    /** How many TAPs are warm right now. */
    public int idleCount() {
        return warm.idleCount();
    }

    /**
     * Waits until the pool holds {@code size} warm TAPs.
     *
     * @return true when it does; false at the deadline, when the pool closed, or as soon as a
     *         background creation failed (so a broken host is reported without waiting it out)
     */
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        return warm.awaitFull(timeout);
    }

    /** Stops refilling (waiting for a creation in flight) and leaves idle TAPs on the host. */
    @Override
    public void close() {
        warm.close(CLOSE_GRACE);
    }

    static boolean isPoolName(String name) {
        return name.startsWith(PREFIX) && name.length() > PREFIX.length()
                && name.substring(PREFIX.length()).chars().allMatch(c -> c >= '0' && c <= '9')
                && InterfaceName.isValid(name);
    }

    private static long index(String name) {
        return Long.parseLong(name.substring(PREFIX.length()));
    }

    /** Creates a TAP under the lowest free {@code tap-pool-N}; the name is given up again when that fails. */
    private String create() {
        String name;
        synchronized (lock) {
            name = freeName();
            names.add(name);
        }
        try {
            network.createTap(name);
            return name;
        } catch (RuntimeException e) {
            forget(name);
            throw e;
        }
    }

    private void forget(String name) {
        synchronized (lock) {
            names.remove(name);
        }
    }

    /** The lowest {@code tap-pool-N} this pool does not know of. Call with the lock held. */
    private String freeName() {
        for (int n = 0; ; n++) {
            String candidate = PREFIX + n;
            if (!names.contains(candidate)) {
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
        // Refilling starts once start() has adopted what is on the host; handing out names
        // before that could collide with a TAP about to be adopted.
        if (!warm.started()) {
            throw new NetworkException(ErrorKind.PRECONDITION_FAILED, "the TAP pool is not started");
        }
        if (warm.closed()) {
            throw new NetworkException(ErrorKind.PRECONDITION_FAILED, "the TAP pool is closed");
        }
    }
}
