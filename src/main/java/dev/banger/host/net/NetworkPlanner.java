package dev.banger.host.net;

import dev.banger.config.NatMode;
import dev.banger.host.Command;
import dev.banger.model.ErrorKind;
import dev.banger.model.Ipv4Subnet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides which {@code ip}, {@code nft}, {@code iptables} and {@code sysctl} commands bring the
 * host's guest network to the wanted state: the bridge with the gateway address, TAP devices on
 * it, and NAT for the guest subnet. Pure: it reads only its arguments and returns
 * {@link NetworkPlan}s; {@link HostNetwork} gathers the current state and runs them. Immutable and
 * safe for concurrent use.
 *
 * <p>Everything banger installs is recognisable as its own, so teardown never touches other
 * rules: nftables rules live in one table per bridge ({@code ip banger-<bridge>}), iptables rules
 * carry the comment {@code banger:<bridge>}.
 */
public final class NetworkPlanner {
    /** nftables tables named so are banger's; no other table is ever deleted. */
    public static final String NFT_TABLE_PREFIX = "banger-";
    /** iptables rules whose comment starts so are banger's; no other rule is ever deleted. */
    public static final String IPTABLES_COMMENT_PREFIX = "banger:";

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final String bridge;
    private final Ipv4Subnet subnet;

    public NetworkPlanner(String bridge, Ipv4Subnet subnet) {
        this.bridge = InterfaceName.require("bridge", bridge);
        this.subnet = Objects.requireNonNull(subnet, "subnet");
    }

    public String bridge() {
        return bridge;
    }

    /** The bridge's address with prefix, e.g. {@code 172.30.0.1/24}: the guests' gateway. */
    public String gatewayCidr() {
        return subnet.gateway() + "/" + subnet.prefixLength();
    }

    // ---- bridge ----------------------------------------------------------------------------

    /** The command whose output {@link #ensureBridge(Optional)} and {@link IpJson} expect. */
    public Command listLinks() {
        return cmd("ip", "-j", "-d", "addr", "show");
    }

    /**
     * Plans only what is missing for the bridge to exist, hold the gateway address and be up.
     *
     * @param current the interface named like the bridge, if there is one
     * @throws NetworkException (CONFLICT) when the name belongs to another kind of device, or the
     *                          gateway address is already there with another prefix length
     */
    public NetworkPlan ensureBridge(Optional<LinkState> current) {
        Command addAddress = cmd("ip", "addr", "add", gatewayCidr(), "dev", bridge);
        Command up = cmd("ip", "link", "set", "dev", bridge, "up");
        if (current.isEmpty()) {
            return NetworkPlan.of(cmd("ip", "link", "add", "name", bridge, "type", "bridge"), addAddress, up);
        }
        LinkState link = current.get();
        if (!link.kind().equals("bridge")) {
            throw new NetworkException(ErrorKind.CONFLICT, "interface " + bridge + " exists but is "
                    + (link.kind().isEmpty() ? "not a bridge" : "a " + link.kind() + ", not a bridge")
                    + ": delete it or choose another network.bridge");
        }
        List<Command> steps = new ArrayList<>();
        if (!link.ipv4().contains(gatewayCidr())) {
            Optional<String> clash = link.ipv4().stream().filter(a -> a.startsWith(subnet.gateway() + "/")).findFirst();
            if (clash.isPresent()) {
                throw new NetworkException(ErrorKind.CONFLICT, "bridge " + bridge + " has " + clash.get() + " but network.subnet is "
                        + subnet + ": run `ip addr del " + clash.get() + " dev " + bridge + "` or change network.subnet");
            }
            steps.add(addAddress);
        }
        if (!link.up()) {
            steps.add(up);
        }
        return new NetworkPlan(steps);
    }

    /** Deletes the bridge; TAPs on it are detached by the kernel, not deleted. */
    public NetworkPlan removeBridge() {
        return NetworkPlan.of(cmd("ip", "link", "del", "dev", bridge));
    }

    // ---- TAPs ------------------------------------------------------------------------------

    /** The command whose output lists tun/tap devices for {@link IpJson}. */
    public Command listTunTap() {
        return cmd("ip", "-j", "-d", "link", "show", "type", "tun");
    }

    /** A persistent TAP, attached to the bridge and up; one {@code ip link set} does both. */
    public NetworkPlan createTap(String name) {
        InterfaceName.require("TAP", name);
        return NetworkPlan.of(cmd("ip", "tuntap", "add", "dev", name, "mode", "tap")).then(attachTap(name));
    }

    /** Attaches an existing TAP to the bridge and sets it up; harmless when it already is. */
    public NetworkPlan attachTap(String name) {
        InterfaceName.require("TAP", name);
        return NetworkPlan.of(cmd("ip", "link", "set", "dev", name, "master", bridge, "up"));
    }

    /**
     * Takes a TAP off the bridge, up still: a restored guest's NIC starts with its snapshot's MAC, so
     * its TAP joins the bridge only once the guest has taken its own.
     */
    public NetworkPlan detachTap(String name) {
        InterfaceName.require("TAP", name);
        return NetworkPlan.of(cmd("ip", "link", "set", "dev", name, "nomaster"));
    }

    /** Deletes a TAP. {@code ip tuntap del} refuses non-TAP devices, so a typo cannot delete the bridge. */
    public NetworkPlan deleteTap(String name) {
        InterfaceName.require("TAP", name);
        return NetworkPlan.of(cmd("ip", "tuntap", "del", "dev", name, "mode", "tap"));
    }

    // ---- NAT -------------------------------------------------------------------------------

    /**
     * Which backend {@code mode} means on a host with these tools.
     *
     * @throws NetworkException (PRECONDITION_FAILED) when the explicitly configured tool is missing
     */
    public static NatBackend chooseBackend(NatMode mode, boolean nftAvailable, boolean iptablesAvailable) {
        return switch (mode) {
            case OFF -> NatBackend.NONE;
            case AUTO -> nftAvailable ? NatBackend.NFTABLES : iptablesAvailable ? NatBackend.IPTABLES : NatBackend.NONE;
            case NFTABLES -> {
                if (!nftAvailable) {
                    throw new NetworkException(ErrorKind.PRECONDITION_FAILED,
                            "network.nat = \"nftables\" but nft is not installed: apt-get install nftables, or set network.nat = \"auto\"");
                }
                yield NatBackend.NFTABLES;
            }
            case IPTABLES -> {
                if (!iptablesAvailable) {
                    throw new NetworkException(ErrorKind.PRECONDITION_FAILED,
                            "network.nat = \"iptables\" but iptables is not installed: apt-get install iptables, or set network.nat = \"auto\"");
                }
                yield NatBackend.IPTABLES;
            }
        };
    }

    /**
     * Turns on IPv4 forwarding through {@code sysctl}, so it runs wherever the commands run (in a
     * test's network namespace, the namespace's own setting). Never turned off again: other
     * software on the host may rely on it.
     */
    public NetworkPlan enableIpForward() {
        return NetworkPlan.of(cmd("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
    }

    public String nftTable() {
        return NFT_TABLE_PREFIX + bridge;
    }

    /**
     * The nftables ruleset: masquerade traffic from the guest subnet leaving through any interface
     * but the bridge, and accept forwarding from the bridge and replies back to it. The
     * declare-delete-define sequence replaces an earlier copy of the table atomically, so
     * installing twice leaves one copy.
     */
    public String nftScript() {
        String table = "ip " + nftTable();
        String br = "\"" + bridge + "\"";
        return "table " + table + "\n"
                + "delete table " + table + "\n"
                + "table " + table + " {\n"
                + "\tchain postrouting {\n"
                + "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                + "\t\tip saddr " + subnet + " oifname != " + br + " masquerade comment \"" + comment() + "\"\n"
                + "\t}\n"
                + "\tchain forward {\n"
                + "\t\ttype filter hook forward priority filter; policy accept;\n"
                + "\t\tiifname " + br + " accept\n"
                + "\t\toifname " + br + " ct state established,related accept\n"
                + "\t}\n"
                + "}\n";
    }

    public NetworkPlan installNftables() {
        return NetworkPlan.of(cmd("nft", "-f", "-").withStdin(nftScript().getBytes(StandardCharsets.UTF_8)));
    }

    /** Succeeds exactly when the table exists. */
    public Command nftTableExists(String table) {
        return cmd("nft", "list", "table", "ip", table);
    }

    public Command nftDeleteTable(String table) {
        return cmd("nft", "delete", "table", "ip", table);
    }

    /** Whether a stored table name is one banger could have made (so deleting it is safe). */
    public static boolean isOwnedTable(String table) {
        return table != null && table.startsWith(NFT_TABLE_PREFIX)
                && InterfaceName.isValid(table.substring(NFT_TABLE_PREFIX.length()));
    }

    /** The iptables rules for this bridge: the masquerade rule and the two forward rules. */
    public List<IptablesRule> iptablesRules() {
        List<String> tag = List.of("-m", "comment", "--comment", comment());
        List<IptablesRule> rules = new ArrayList<>();
        rules.add(rule("nat", "POSTROUTING", List.of("-s", subnet.toString(), "!", "-o", bridge), tag, "MASQUERADE"));
        rules.add(rule("filter", "FORWARD", List.of("-i", bridge), tag, "ACCEPT"));
        rules.add(rule("filter", "FORWARD",
                List.of("-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED"), tag, "ACCEPT"));
        return List.copyOf(rules);
    }

    /** Exits 0 exactly when the rule is present. */
    public Command iptablesCheck(IptablesRule rule) {
        return iptables(rule, "-C");
    }

    /**
     * Adds the given rules. Forward rules are inserted at the top of FORWARD so they come before a
     * host policy's DROP/REJECT rules; the masquerade rule is appended.
     */
    public NetworkPlan installIptables(Collection<IptablesRule> missing) {
        return new NetworkPlan(missing.stream()
                .map(r -> iptables(r, r.chain().equals("FORWARD") ? "-I" : "-A"))
                .toList());
    }

    public Command iptablesDelete(IptablesRule rule) {
        return iptables(rule, "-D");
    }

    /** Whether a stored rule is one banger could have made: known table, banger's comment. */
    public static boolean isOwnedRule(IptablesRule rule) {
        return (rule.table().equals("nat") || rule.table().equals("filter"))
                && rule.chain().matches("[A-Z_]+")
                && rule.comment().startsWith(IPTABLES_COMMENT_PREFIX);
    }

    private String comment() {
        return IPTABLES_COMMENT_PREFIX + bridge;
    }

    private static IptablesRule rule(String table, String chain, List<String> match, List<String> tag, String target) {
        List<String> spec = new ArrayList<>(match);
        spec.addAll(tag);
        spec.add("-j");
        spec.add(target);
        return new IptablesRule(table, chain, spec);
    }

    private static Command iptables(IptablesRule rule, String op) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", rule.table(), op, rule.chain()));
        argv.addAll(rule.spec());
        return Command.of(argv).withTimeout(STEP_TIMEOUT);
    }

    private static Command cmd(String... argv) {
        return Command.of(argv).withTimeout(STEP_TIMEOUT);
    }
}
