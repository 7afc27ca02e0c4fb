package dev.banger.vm;

import dev.banger.model.PortForward;
import dev.banger.model.Vm;
import dev.banger.model.VmPorts;
import dev.banger.model.VmState;
import dev.banger.store.PortRepository;
import dev.banger.vm.host.PortForwarder;
import dev.banger.vm.state.VmException;
import dev.banger.vm.state.VmLifecycle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ports VMs publish ({@code vm.port.*}, {@code vm create --publish}): checked before anything
 * changes — the host port free of other VMs' forwards (the store) and of the host's programs (a
 * bind), the guest port published once — recorded, and on a running VM installed at once (a
 * stopped VM's are only recorded; its start installs them). Thread-safe: changes take the VM's lock.
 */
public final class PortForwards {
    private static final Logger LOG = LoggerFactory.getLogger("dev.banger.lifecycle");

    private final VmLifecycle lifecycle;
    private final VmLocks locks;
    private final PortForwarder forwarder;
    private final Runnable hostStarted;

    /** @param hostStarted brings the host up (reconciled) before a change: whether a VM runs is known only then */
    PortForwards(VmLifecycle lifecycle, VmLocks locks, PortForwarder forwarder, PortRepository store, Runnable hostStarted) {
        this.lifecycle = lifecycle;
        this.locks = locks;
        this.forwarder = forwarder;
        this.hostStarted = hostStarted;
        forwarder.useStore(store);
    }

    public VmPorts list(String name) {
        return view(lifecycle.get(name));
    }

    /** Publishes a port of the VM; on a running VM the forward works when this returns. */
    public VmPorts add(String name, PortForward forward) {
        lifecycle.get(name);
        hostStarted.run();
        return locks.with(name, () -> {
            Vm vm = lifecycle.get(name);
            requireNoHolder(forward);
            boolean running = vm.state() == VmState.RUNNING;
            if (running) {
                forwarder.requireFree(forward);
            }
            forwarder.store().add(name, forward);
            if (running) {
                try {
                    forwarder.apply(name, vm.network().ip(), forwarder.of(name));
                } catch (RuntimeException e) {
                    forwarder.store().remove(name, side(forward));
                    throw e;
                }
            }
            LOG.info("VM {}: published {}{}", name, forward.spec(), running ? "" : " (installed when it starts)");
            return view(vm);
        });
    }

    /** Unpublishes the forward {@code side} names; on a running VM it stops working when this returns. */
    public VmPorts remove(String name, PortForward.HostSide side) {
        lifecycle.get(name);
        hostStarted.run();
        return locks.with(name, () -> {
            Vm vm = lifecycle.get(name);
            List<PortForward> rest = new ArrayList<>(forwarder.of(name));
            if (!rest.removeIf(f -> f.matches(side))) {
                forwarder.store().remove(name, side); // matches none: the store's not-found names what to do
            }
            if (vm.state() == VmState.RUNNING) {
                // The firewall first: a daemon killed in between leaves the row, and its start puts the forward back.
                forwarder.apply(name, vm.network().ip(), rest);
            }
            PortForward removed = forwarder.store().remove(name, side);
            LOG.info("VM {}: unpublished {}", name, removed.spec());
            return view(vm);
        });
    }

    /**
     * A create's {@code --publish} list, before anything is made: no two of them clash or name one
     * guest port, no other VM holds their host ports, no program on the host listens there.
     */
    void checkNew(List<PortForward> publish) {
        for (int i = 0; i < publish.size(); i++) {
            PortForward forward = publish.get(i);
            for (PortForward earlier : publish.subList(0, i)) {
                if (earlier.clashesWith(forward)) {
                    throw VmException.invalid("--publish " + earlier.spec() + " and " + forward.spec() + " take the same host port");
                }
                if (earlier.guestPort() == forward.guestPort() && earlier.protocol().equals(forward.protocol())) {
                    throw VmException.invalid("--publish " + earlier.spec() + " and " + forward.spec() + " publish one guest port"
                            + " twice; a guest port is published once");
                }
            }
            requireNoHolder(forward);
            forwarder.requireFree(forward);
        }
    }

    /**
     * After the start-up reconcile: running VMs get their forwards back (as they were: a daemon
     * restart must not refuse what a VM holds), stopped ones lose any left in the firewall, and a
     * localnet guard no table needs any more goes.
     */
    void reconcile(List<String> changes) {
        for (Vm vm : lifecycle.list()) {
            List<PortForward> forwards = forwarder.of(vm.name());
            if (forwards.isEmpty()) {
                continue;
            }
            if (vm.state() != VmState.RUNNING) {
                forwarder.remove(vm.name());
                continue;
            }
            try {
                forwarder.apply(vm.name(), vm.network().ip(), forwards);
            } catch (RuntimeException e) {
                changes.add("VM " + vm.name() + ": could not put back its published ports (" + e.getMessage()
                        + "); restart it with 'banger vm restart " + vm.name() + "'");
            }
        }
        forwarder.removeGuardIfUnused();
    }

    /** What {@code vm show} lists. */
    List<PortForward> of(String name) {
        return forwarder.of(name);
    }

    private void requireNoHolder(PortForward forward) {
        Optional<String> holder = forwarder.store().holder(forward);
        if (holder.isPresent()) {
            throw VmException.conflict("host port " + forward.hostSide() + " is already published by VM '" + holder.get()
                    + "'; choose another host port, or free it with 'banger vm port rm " + holder.get() + " "
                    + forward.hostSide() + "'");
        }
    }

    private VmPorts view(Vm vm) {
        return new VmPorts(vm.name(), vm.network().ip(), vm.state() == VmState.RUNNING, forwarder.of(vm.name()));
    }

    private static PortForward.HostSide side(PortForward forward) {
        return new PortForward.HostSide(forward.hostAddress(), forward.hostPort(), forward.protocol(), forward.guestPort());
    }
}
