package dev.banger.vm;

import dev.banger.capability.GuestNames;
import dev.banger.capability.PortForwardControl;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import dev.banger.vm.host.Backends;
import dev.banger.vm.host.HostTaps;
import dev.banger.vm.state.VmLifecycle;
import dev.banger.vm.state.VmRuntime;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a running VM's VMM process dying while the daemon runs (killed, crashed, the guest
 * powered off): the VM is marked stopped, its TAP goes back to the pool, its name leaves the DNS
 * table, its published ports leave the firewall and the VMM's leftover sockets are removed; its disks stay, so {@code vm start} boots it
 * again. Each running VMM gets a {@link ProcessHandle#onExit()} callback (which also works for
 * processes that are not the daemon's children), and a periodic sweep backs it up and finds VMs
 * that started running since. A VM busy with an operation (stop, delete, start) is left to that
 * operation. Thread-safe; {@link #close} stops the sweep.
 */
public final class VmmWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");
    public static final Duration SWEEP_EVERY = Duration.ofSeconds(2);

    private final VmLifecycle lifecycle;
    private final VmLocks locks;
    private final Backends backends;
    private final HostTaps taps;
    private final GuestNames names;
    private final PortForwardControl ports;
    private final BooleanSupplier hostReady;
    private final Consumer<String> onStopped;
    private final Map<String, Long> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();

    /** @param hostReady whether the host is up (reconcile done); before that nothing runs that could die */
    VmmWatch(VmLifecycle lifecycle, VmLocks locks, Backends backends, HostTaps taps, GuestNames names, PortForwardControl ports,
            BooleanSupplier hostReady, Consumer<String> onStopped) {
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.backends = backends;
        this.taps = taps;
        this.names = names;
        this.ports = ports;
        this.hostReady = hostReady;
        this.onStopped = onStopped;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("vmm-watch").factory());
    }

    VmmWatch schedule(Duration every) {
        sweeper.scheduleWithFixedDelay(this::sweepLogged, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("VMM watch: sweep failed: {}", e.toString());
        }
    }

    /**
     * One pass over the running VMs: a VM whose VMM is gone is marked stopped, a live VMM not yet
     * watched gets its exit callback. Returns the VMs marked stopped.
     */
    List<String> sweep() {
        if (!hostReady.getAsBoolean()) {
            return List.of(); // reconcile at start handles what died while no daemon ran
        }
        List<String> stopped = new ArrayList<>();
        Set<String> running = new HashSet<>();
        for (Vm vm : lifecycle.list()) {
            if (vm.state() != VmState.RUNNING) {
                continue;
            }
            VmmInstance instance = lifecycle.runtime(vm).instance();
            if (instance == null) {
                continue;
            }
            running.add(vm.name());
            if (!backends.vmm(vm.vmm()).isAlive(instance)) {
                if (stopIfGone(vm.name(), instance)) {
                    stopped.add(vm.name());
                }
            } else if (!Long.valueOf(instance.pid()).equals(watched.put(vm.name(), instance.pid()))) {
                ProcessHandle.of(instance.pid()).ifPresent(process -> process.onExit()
                        .thenRunAsync(() -> exited(vm.name(), instance), handlers));
            }
        }
        watched.keySet().retainAll(running);
        return stopped;
    }

    private void exited(String vm, VmmInstance instance) {
        try {
            if (stopIfGone(vm, instance)) {
                watched.remove(vm, instance.pid());
            }
        } catch (RuntimeException e) {
            LOG.warn("VM {}: handling the exit of VMM pid {} failed ({}); the next sweep retries", vm, instance.pid(), e.toString());
        }
    }

    /**
     * Marks {@code vm} stopped and frees what its VMM held, if it is still recorded as running
     * {@code seen} and that process is gone. False when it is busy with an operation, runs another
     * VMM process by now, or is not running.
     */
    boolean stopIfGone(String vm, VmmInstance seen) {
        Optional<Boolean> done = locks.tryWith(vm, () -> {
            Optional<Vm> current = lifecycle.find(vm);
            if (current.isEmpty() || current.get().state() != VmState.RUNNING) {
                return false;
            }
            VmRuntime runtime = lifecycle.runtime(current.get());
            VmmInstance instance = runtime.instance();
            if (instance == null || instance.pid() != seen.pid() || backends.vmm(current.get().vmm()).isAlive(instance)) {
                return false;
            }
            removeSockets(runtime.vmDir());
            taps.release(vm, runtime.tap());
            names.unpublish(vm);
            ports.remove(vm);
            lifecycle.record(vm, VmState.STOPPED, null, runtime.stopped());
            LOG.warn("VM {}: its {} process {} exited; marked stopped, TAP {} released, disks kept", vm,
                    current.get().vmm(), instance.pid(), runtime.tap());
            return true;
        });
        if (done.orElse(false)) {
            onStopped.accept(vm);
            return true;
        }
        return false;
    }

    /** The VMM's API and agent sockets: meaningless once it is gone, and in the way of nothing but a tidy dir. */
    private static void removeSockets(Path vmDir) {
        if (!Files.isDirectory(vmDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(vmDir)) {
            for (Path entry : entries.toList()) {
                if (Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the sockets in {}: {}", vmDir, e.toString());
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        handlers.shutdownNow();
    }
}
