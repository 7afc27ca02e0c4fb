package dev.banger.vm.host;

import dev.banger.capability.PortForwardControl;
import dev.banger.host.net.NetworkException;
import dev.banger.host.net.PortForwarding;
import dev.banger.host.net.PortProbe;
import dev.banger.model.PortForward;
import dev.banger.store.PortRepository;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the host's port forwards: what each VM publishes is read from the store, and
 * its table is in the firewall exactly while the VM runs. A VM that publishes nothing costs no
 * command at all, so creates, stops and deletes of such VMs are as before. Thread-safe; calls for
 * one VM are serialised by its lock.
 */
public final class PortForwarder implements PortForwardControl {
    private static final Logger LOG = LoggerFactory.getLogger(PortForwarder.class);

    private final PortForwarding forwarding;
    private final PortProbe probe;
    private volatile PortRepository store;

    public PortForwarder(PortForwarding forwarding, PortProbe probe) {
        this.forwarding = forwarding;
        this.probe = probe;
    }

    /** Where the forwards are recorded; set before any VM runs. */
    public void useStore(PortRepository store) {
        this.store = store;
    }

    public PortRepository store() {
        return store;
    }

    /** Refuses a host port that a program on the host holds, or an address that is not the host's ({@link PortProbe}). */
    public void requireFree(PortForward forward) {
        probe.requireFree(forward);
    }

    /** The VM's recorded forwards. */
    public List<PortForward> of(String vm) {
        PortRepository ports = store;
        return ports == null ? List.of() : ports.of(vm);
    }

    @Override
    public void install(String vm, String ip) {
        List<PortForward> forwards = of(vm);
        if (forwards.isEmpty()) {
            return;
        }
        forwards.forEach(probe::requireFree);
        forwarding.install(vm, ip, forwards);
        LOG.info("VM {}: published {}", vm, forwards.stream().map(PortForward::spec).toList());
    }

    /** Makes the firewall hold exactly {@code forwards} for the VM (none: its table goes), without probing: they are its already. */
    public void apply(String vm, String ip, List<PortForward> forwards) {
        forwarding.install(vm, ip, forwards);
    }

    /** At the daemon's start: the localnet guard and route_localnet go when no VM's table is left. */
    public void removeGuardIfUnused() {
        forwarding.removeGuardIfUnused();
    }

    @Override
    public void remove(String vm) {
        if (of(vm).isEmpty()) {
            return;
        }
        try {
            if (forwarding.remove(vm)) {
                LOG.info("VM {}: its published ports are removed from the firewall", vm);
            }
        } catch (NetworkException e) {
            LOG.warn("VM {}: {}", vm, e.getMessage());
        }
    }
}
