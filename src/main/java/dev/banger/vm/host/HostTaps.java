package dev.banger.vm.host;

import dev.banger.host.net.HostNetwork;
import dev.banger.host.net.TapPool;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where VMs and warm machines get their TAPs: a warm one from the {@link TapPool}, or one made for
 * a VM alone (the slow path); and where they give them back. Also clears TAPs on the bridge that no
 * VM uses. Thread-safe.
 */
public final class HostTaps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostTaps.class);

    private final HostNetwork network;
    private final TapPool pool;

    /** @param beforeRefill run before each background refill; may wait (bounded) for a quiet moment */
    public HostTaps(HostNetwork network, int poolSize, Runnable beforeRefill) {
        this.network = network;
        this.pool = new TapPool(network, poolSize, beforeRefill);
    }

    /** Starts the pool, adopting its idle TAPs on the host and leaving {@code inUse} (live VMs') alone. */
    public void start(Collection<String> inUse) {
        pool.start(inUse);
    }

    /** A TAP from {@code source}; {@code dedicatedName} names a dedicated one. */
    public String acquire(TapSource source, String dedicatedName) {
        return switch (source) {
            case POOL -> pool.acquire();
            case DEDICATED -> {
                network.createTap(dedicatedName);
                yield dedicatedName;
            }
        };
    }

    /** Takes a VM's TAP off the bridge until {@link #attach}: nothing the guest sends reaches another VM meanwhile. */
    public void detach(String tap) {
        network.detachTap(tap);
    }

    /** Puts a TAP (back) on the bridge, up; harmless when it is there. */
    public void attach(String tap) {
        network.attachTap(tap);
    }

    /** Gives a TAP back: a pool TAP to the pool (deleted if it will not take it), any other is deleted; null is nothing. */
    public void release(String owner, String tap) {
        if (tap == null) {
            return;
        }
        if (!tap.startsWith(TapPool.PREFIX)) {
            network.deleteTap(tap);
            return;
        }
        try {
            pool.release(tap);
        } catch (RuntimeException e) {
            LOG.warn("{}: TAP {} not returned to the pool ({}); deleting it", owner, tap, e.getMessage());
            network.deleteTap(tap);
        }
    }

    /** Deletes the TAPs on the bridge that are neither the pool's nor in {@code live}; returns their names. */
    public List<String> removeStrays(Set<String> live) {
        List<String> strays = network.tapsOnBridge().stream()
                .filter(tap -> !tap.startsWith(TapPool.PREFIX) && !live.contains(tap)).toList();
        strays.forEach(network::deleteTap);
        return strays;
    }

    public int size() {
        return pool.size();
    }

    public int idleCount() {
        return pool.idleCount();
    }

    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        return pool.awaitWarm(timeout);
    }

    @Override
    public void close() {
        pool.close();
    }
}
