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
 * the host's nftables and takes them out again. Each call replaces or deletes one VM's table in
 * one nft transaction, so calls for different VMs may run concurrently; calls for one VM are
 * serialised by its caller (the VM's lock). Thread-safe.
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
    public void install(String vm, String ip, List<PortForward> forwards) {
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

    /** Deletes the VM's table; one that is not there (or no nft at all) is nothing to do. Returns whether one was deleted. */
    public boolean remove(String vm) {
        if (!host.available("nft") || !succeeds(planner.exists(vm))) {
            return false;
        }
        try {
            host.run(planner.remove(vm));
            return true;
        } catch (HostException e) {
            if (!succeeds(planner.exists(vm))) {
                return false;
            }
            throw new NetworkException("could not remove the port forwards of VM '" + vm + "': " + e.getMessage(), e);
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
