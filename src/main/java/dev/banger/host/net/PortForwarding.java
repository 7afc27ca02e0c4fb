package dev.banger.host.net;

import dev.banger.config.NetworkConfig;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.HostException;
import dev.banger.model.ErrorKind;
import dev.banger.model.PortForward;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link PortForwardPlanner}'s plans through {@link HostCommands}: puts a VM's forwards into
 * the host's nftables and takes them out again, each VM's table replaced or deleted in one nft
 * transaction; the localnet guard goes with the last table. Thread-safe: calls are serialised
 * (a few nft runs each), so a guard is never removed while another VM's table goes in.
 */
public final class PortForwarding {
    private static final Logger LOG = LoggerFactory.getLogger(PortForwarding.class);

    private final HostCommands host;
    private final PortForwardPlanner planner;

    public PortForwarding(HostCommands host, NetworkConfig config) {
        this(host, new PortForwardPlanner(config.bridge(), config.subnet()));
    }

    public PortForwarding(HostCommands host, PortForwardPlanner planner) {
        this.host = Objects.requireNonNull(host, "host");
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    public PortForwardPlanner planner() {
        return planner;
    }

    /**
     * Makes the VM's table hold exactly {@code forwards} to {@code ip}; none deletes it.
     *
     * @throws NetworkException (PRECONDITION_FAILED) when nft is missing, else naming the failed command
     */
    public synchronized void install(String vm, String ip, List<PortForward> forwards) {
        if (forwards.isEmpty()) {
            remove(vm);
            return;
        }
        if (!host.available("nft")) {
            throw new NetworkException(ErrorKind.PRECONDITION_FAILED, "publishing ports of VM '" + vm
                    + "' needs nftables, and nft is not installed: apt-get install nftables");
        }
        for (Command command : planner.install(vm, ip, forwards).commands()) {
            try {
                host.run(command);
            } catch (HostException e) {
                throw new NetworkException("could not publish the ports of VM '" + vm + "': " + e.getMessage(), e);
            }
        }
    }

    /**
     * Deletes the VM's table, and the localnet guard when no VM's table is left; a table that is
     * not there (or no nft at all) is nothing to do. Returns whether one was deleted.
     */
    public synchronized boolean remove(String vm) {
        if (!host.available("nft") || !succeeds(planner.exists(vm))) {
            return false;
        }
        try {
            host.run(planner.remove(vm));
        } catch (HostException e) {
            if (succeeds(planner.exists(vm))) {
                throw new NetworkException("could not remove the port forwards of VM '" + vm + "': " + e.getMessage(), e);
            }
        }
        removeGuardIfUnused();
        return true;
    }

    /**
     * Turns route_localnet off and removes the guard when no VM's table of this bridge is left (a
     * daemon killed between the two finds them at its next start). Failures are logged: the guard
     * staying is safe.
     */
    public synchronized void removeGuardIfUnused() {
        if (!host.available("nft")) {
            return;
        }
        try {
            String tables = host.run(planner.listTables()).stdout();
            if (planner.namesVmTables(tables) || !planner.namesGuard(tables)) {
                return;
            }
            for (Command command : planner.removeGuard().commands()) {
                CommandResult result = host.exec(command);
                if (!result.succeeded()) {
                    // A bridge that is gone has no route_localnet to turn off; the guard still goes.
                    LOG.info("{} failed (exit {}): {}", command.display(), result.exitCode(), result.stderr().strip());
                }
            }
        } catch (HostException e) {
            LOG.warn("could not remove the localnet guard {}: {}", planner.guardTable(), e.getMessage());
        }
    }

    private boolean succeeds(Command command) {
        try {
            CommandResult result = host.exec(command);
            return result.succeeded();
        } catch (HostException e) {
            LOG.debug("{} could not run: {}", command.display(), e.getMessage());
            return false;
        }
    }
}
