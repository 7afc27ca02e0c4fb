package dev.banger.host.net;

import dev.banger.config.NatMode;
import dev.banger.config.NetworkConfig;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.HostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link NetworkPlanner}'s plans on the host through {@link HostCommands}: reads the current
 * state ({@code ip -j}, {@code iptables -C}, {@code nft list}), asks the planner what to do, runs
 * it. One instance serves one bridge. Safe for concurrent use on distinct TAPs; bridge and NAT set
 * up is meant for daemon start, one caller at a time.
 *
 * <p>Teardown tolerates partial state: deleting a missing TAP or bridge succeeds, and
 * {@link #removeNat(NatHandles)} reports rules that are already gone instead of failing.
 */
public final class HostNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(HostNetwork.class);

    private final HostCommands host;
    private final NetworkConfig config;
    private final NetworkPlanner planner;

    public HostNetwork(HostCommands host, NetworkConfig config) {
        this.host = Objects.requireNonNull(host, "host");
        this.config = Objects.requireNonNull(config, "config");
        this.planner = new NetworkPlanner(config.bridge(), config.subnet());
    }

    public NetworkPlanner planner() {
        return planner;
    }

    public String bridge() {
        return planner.bridge();
    }

    /** Creates the bridge, gives it the gateway address and sets it up, doing only what is missing. */
    public void ensureBridge() {
        NetworkPlan plan = planner.ensureBridge(findLink(bridge()));
        run(plan, "set up bridge " + bridge());
    }

    /** Deletes the bridge when it exists; for tests and full cleanup. */
    public void removeBridge() {
        Optional<LinkState> link = findLink(bridge());
        if (link.isEmpty()) {
            return;
        }
        if (!link.get().kind().equals("bridge")) {
            LOG.warn("not deleting {}: it is a {}, not a bridge", bridge(), link.get().kind());
            return;
        }
        run(planner.removeBridge(), "delete bridge " + bridge());
    }

    /** Creates a persistent TAP attached to the bridge and up; a half-made TAP is deleted again. */
    public void createTap(String name) {
        NetworkPlan plan = planner.createTap(name);
        try {
            run(plan, "create TAP " + name);
        } catch (NetworkException e) {
            try {
                run(planner.deleteTap(name), "delete half-created TAP " + name);
            } catch (NetworkException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Attaches an existing TAP to the bridge and sets it up. */
    public void attachTap(String name) {
        run(planner.attachTap(name), "attach TAP " + name + " to " + bridge());
    }

    /** Takes a TAP off the bridge ({@link NetworkPlanner#detachTap}). */
    public void detachTap(String name) {
        run(planner.detachTap(name), "detach TAP " + name + " from " + bridge());
    }

    /** Deletes a TAP; a TAP that does not exist is not an error. */
    public void deleteTap(String name) {
        NetworkPlan plan = planner.deleteTap(name);
        try {
            run(plan, "delete TAP " + name);
        } catch (NetworkException e) {
            boolean stillThere;
            try {
                stillThere = listTaps().contains(name);
            } catch (NetworkException listing) {
                e.addSuppressed(listing);
                throw e;
            }
            if (stillThere) {
                throw e;
            }
            LOG.debug("TAP {} was already gone", name);
        }
    }

    /** Names of the host's TAP devices (not TUN devices), in the kernel's order. */
    public List<String> listTaps() {
        CommandResult result = run(planner.listTunTap(), "list TAP devices");
        return IpJson.links(result.stdout()).stream().filter(l -> l.kind().equals("tap")).map(LinkState::name).toList();
    }

    /** TAP devices attached to the bridge, whatever their names. */
    public List<String> tapsOnBridge() {
        CommandResult result = run(planner.listTunTap(), "list TAP devices");
        return IpJson.links(result.stdout()).stream()
                .filter(l -> l.kind().equals("tap") && l.master().equals(bridge()))
                .map(LinkState::name)
                .toList();
    }

    /** The interface with this name, if there is one. */
    public Optional<LinkState> findLink(String name) {
        CommandResult result = run(planner.listLinks(), "list network interfaces");
        return IpJson.links(result.stdout()).stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /**
     * Installs NAT for the guest subnet with the configured backend and enables IPv4 forwarding.
     * Idempotent: installing again leaves one copy of the rules.
     *
     * @return what was installed, for {@link #removeNat(NatHandles)}; {@link NatHandles#NONE} when
     *         NAT is off or (in auto mode) neither nft nor iptables is installed
     * @throws NetworkException when a command fails; iptables rules added by this call are removed again
     */
    public NatHandles installNat() {
        return switch (natBackend()) {
            case NONE -> {
                if (config.nat() != NatMode.OFF) {
                    LOG.warn("neither nft nor iptables is installed: guests on {} get no NAT", bridge());
                }
                yield NatHandles.NONE;
            }
            case NFTABLES -> {
                run(planner.enableIpForward(), "enable IPv4 forwarding");
                run(planner.installNftables(), "install nftables NAT for " + bridge());
                yield NatHandles.nftables(planner.nftTable());
            }
            case IPTABLES -> {
                run(planner.enableIpForward(), "enable IPv4 forwarding");
                yield installIptables();
            }
        };
    }

    /**
     * What {@link #installNat} installs and returns, decided before anything runs: recorded first,
     * these handles let a daemon killed while the rules go in remove them at its next start.
     */
    public NatHandles plannedNat() {
        return switch (natBackend()) {
            case NONE -> NatHandles.NONE;
            case NFTABLES -> NatHandles.nftables(planner.nftTable());
            case IPTABLES -> NatHandles.iptables(planner.iptablesRules());
        };
    }

    private NatBackend natBackend() {
        return NetworkPlanner.chooseBackend(config.nat(), host.available("nft"), host.available("iptables"));
    }

    private NatHandles installIptables() {
        List<IptablesRule> rules = planner.iptablesRules();
        List<IptablesRule> missing = rules.stream().filter(r -> !present(r)).toList();
        NetworkPlan plan = planner.installIptables(missing);
        // The plan has one command per missing rule, in order, so a failure at step i means
        // exactly the first i rules were added by this call.
        int done = 0;
        try {
            for (Command command : plan.commands()) {
                run(command, "install iptables NAT for " + bridge());
                done++;
            }
        } catch (NetworkException e) {
            NatRemoval undo = removeNat(NatHandles.iptables(missing.subList(0, done)));
            if (!undo.clean()) {
                LOG.warn("could not remove partly installed NAT rules: {}", undo.failed());
            }
            throw e;
        }
        return NatHandles.iptables(rules);
    }

    /**
     * What of this bridge's NAT is installed now, found by name and comment: for a daemon that lost
     * its stored handles. Looks with whichever tools are installed, nftables first.
     */
    public NatHandles discoverNat() {
        if (host.available("nft") && succeeds(planner.nftTableExists(planner.nftTable()))) {
            return NatHandles.nftables(planner.nftTable());
        }
        if (host.available("iptables")) {
            List<IptablesRule> found = planner.iptablesRules().stream().filter(this::present).toList();
            if (!found.isEmpty()) {
                return NatHandles.iptables(found);
            }
        }
        return NatHandles.NONE;
    }

    /**
     * Removes exactly what {@code handles} name. Never throws for partial state: rules or tables
     * that are gone are reported as such, names that are not banger's are skipped, failures are
     * logged and reported. {@code null} or empty handles remove nothing.
     */
    public NatRemoval removeNat(NatHandles handles) {
        if (handles == null || handles.namesNothing()) {
            return NatRemoval.NOTHING;
        }
        List<String> removed = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        switch (handles.backend()) {
            case NFTABLES -> {
                String table = handles.nftTable();
                String what = "nft table ip " + table;
                if (!NetworkPlanner.isOwnedTable(table)) {
                    skipped.add(what);
                } else if (!succeeds(planner.nftTableExists(table))) {
                    gone.add(what);
                } else {
                    attempt(planner.nftDeleteTable(table), what, removed, failed);
                }
            }
            case IPTABLES -> {
                for (IptablesRule rule : handles.iptablesRules()) {
                    String what = rule.describe();
                    if (!NetworkPlanner.isOwnedRule(rule)) {
                        skipped.add(what);
                    } else if (!present(rule)) {
                        gone.add(what);
                    } else {
                        attempt(planner.iptablesDelete(rule), what, removed, failed);
                    }
                }
            }
            case NONE -> { }
        }
        NatRemoval result = new NatRemoval(removed, gone, skipped, failed);
        if (!gone.isEmpty()) {
            LOG.info("NAT already gone, nothing to remove: {}", gone);
        }
        if (!skipped.isEmpty()) {
            LOG.warn("not removing NAT entries that are not banger's: {}", skipped);
        }
        if (!failed.isEmpty()) {
            LOG.warn("could not remove NAT entries: {}", failed);
        }
        return result;
    }

    private boolean present(IptablesRule rule) {
        return succeeds(planner.iptablesCheck(rule));
    }

    private void attempt(Command command, String what, List<String> removed, List<String> failed) {
        try {
            CommandResult result = host.exec(command);
            if (result.succeeded()) {
                removed.add(what);
            } else {
                failed.add(what + " (exit " + result.exitCode() + ": " + result.stderr().strip() + ")");
            }
        } catch (HostException e) {
            failed.add(what + " (" + e.getMessage() + ")");
        }
    }

    private boolean succeeds(Command command) {
        try {
            return host.exec(command).succeeded();
        } catch (HostException e) {
            LOG.debug("{} could not run: {}", command.display(), e.getMessage());
            return false;
        }
    }

    private void run(NetworkPlan plan, String what) {
        for (Command command : plan.commands()) {
            run(command, what);
        }
    }

    private CommandResult run(Command command, String what) {
        try {
            return host.run(command);
        } catch (HostException e) {
            throw new NetworkException("could not " + what + ": " + e.getMessage(), e);
        }
    }
}
