package dev.banger.host.net;

import dev.banger.host.Command;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.PortForward;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides the nftables rules that publish a VM's ports on the host. Pure: it returns scripts and
 * {@link NetworkPlan}s; {@link PortForwarding} runs them. Immutable and safe for concurrent use.
 *
 * <p>Each VM's forwards live in a table of their own, {@code ip banger-ports-<bridge>-<vm>},
 * replaced as a whole (declare, delete, define in one {@code nft -f -} transaction) whenever they
 * change and deleted when the VM stops, so removal is exact and VMs never share a rule. A forward
 * DNATs in the nat {@code output} hook (connections from this host's own programs) and, unless its
 * address is a loopback one, in {@code prerouting} (other machines, and guests). Connections from
 * loopback or the guest subnet are masqueraded to the bridge address on their way to the guest:
 * a loopback source cannot leave the host and the guest's answer must come back through it.
 *
 * <p>Forwarding from 127.0.0.1 needs {@code route_localnet=1} on the bridge: without it the kernel
 * refuses to route a packet with a loopback source out of (and its answer back into) a
 * non-loopback device. The same switch would let a guest reach the host's loopback services by
 * sending to 127.0.0.1 through the bridge, so first a guard table ({@code ip
 * banger-localnet-<bridge>}) drops packets arriving on the bridge from or to 127.0.0.0/8 before
 * NAT (the masqueraded answers still carry the bridge address then). Guard and switch go again
 * once no VM's table is left ({@link #removeGuard}: the switch first).
 */
public final class PortForwardPlanner {
    public static final String TABLE_PREFIX = NetworkPlanner.NFT_TABLE_PREFIX + "ports-";
    public static final String GUARD_PREFIX = NetworkPlanner.NFT_TABLE_PREFIX + "localnet-";
    private static final Pattern VM_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    static final Duration STEP_TIMEOUT = NetworkPlanner.STEP_TIMEOUT;

    private final String bridge;
    private final Ipv4Subnet subnet;

    public PortForwardPlanner(String bridge, Ipv4Subnet subnet) {
        this.bridge = InterfaceName.require("bridge", bridge);
        this.subnet = Objects.requireNonNull(subnet, "subnet");
    }

    /** The VM's table: {@code banger-ports-<bridge>-<vm>}. */
    public String table(String vm) {
        if (vm == null || !VM_NAME.matcher(vm).matches()) {
            throw new IllegalArgumentException("not a VM name: " + vm);
        }
        return TABLE_PREFIX + bridge + "-" + vm;
    }

    public String guardTable() {
        return GUARD_PREFIX + bridge;
    }

    /**
     * Everything that makes {@code forwards} reach {@code ip}: the guard and the bridge's
     * route_localnet when a forward takes loopback connections, then the VM's table. With no
     * forwards, the plan deletes the table ({@link #remove}); run it only when the table exists.
     */
    public NetworkPlan install(String vm, String ip, List<PortForward> forwards) {
        if (forwards.isEmpty()) {
            return NetworkPlan.of(remove(vm));
        }
        NetworkPlan plan = NetworkPlan.EMPTY;
        if (forwards.stream().anyMatch(PortForward::reachesLoopback)) {
            plan = NetworkPlan.of(nft(guardScript()), routeLocalnet(true));
        }
        return plan.then(NetworkPlan.of(nft(script(vm, ip, forwards))));
    }

    /** Drops what arrives on the bridge from or to loopback addresses, before NAT, as the kernel would without route_localnet. */
    public String guardScript() {
        String table = "ip " + guardTable();
        String br = quoted(bridge);
        return "table " + table + "\n"
                + "delete table " + table + "\n"
                + "table " + table + " {\n"
                + "\tchain prerouting {\n"
                + "\t\ttype filter hook prerouting priority raw; policy accept;\n"
                + "\t\tiifname " + br + " ip daddr 127.0.0.0/8 drop\n"
                + "\t\tiifname " + br + " ip saddr 127.0.0.0/8 drop\n"
                + "\t}\n"
                + "}\n";
    }

    /** The VM's table with these forwards, replacing an earlier copy atomically. */
    public String script(String vm, String ip, List<PortForward> forwards) {
        if (ip == null || !IPV4.matcher(ip).matches()) {
            throw new IllegalArgumentException("not a guest address: " + ip);
        }
        String table = "ip " + table(vm);
        String comment = " comment " + quoted(NetworkPlanner.IPTABLES_COMMENT_PREFIX + bridge + ":" + vm);
        StringBuilder prerouting = new StringBuilder();
        StringBuilder output = new StringBuilder();
        for (PortForward forward : forwards) {
            String rule = "\t\t" + match(forward) + " " + forward.protocol() + " dport " + forward.hostPort() + " dnat to " + ip + ":"
                    + forward.guestPort() + comment + "\n";
            output.append(rule);
            if (!forward.hostAddress().startsWith("127.")) {
                prerouting.append(rule);
            }
        }
        return "table " + table + "\n"
                + "delete table " + table + "\n"
                + "table " + table + " {\n"
                + "\tchain prerouting {\n"
                + "\t\ttype nat hook prerouting priority dstnat; policy accept;\n"
                + prerouting
                + "\t}\n"
                + "\tchain output {\n"
                // nft before 1.0.7 knows the name dstnat only in prerouting; -100 is its value.
                + "\t\ttype nat hook output priority -100; policy accept;\n"
                + output
                + "\t}\n"
                + "\tchain postrouting {\n"
                + "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                + "\t\tip daddr " + ip + " ct status dnat ip saddr { 127.0.0.0/8, " + subnet + " } masquerade" + comment + "\n"
                + "\t}\n"
                + "}\n";
    }

    /** Turns the bridge's route_localnet on or off ({@code /} separators: an interface name may hold a dot). */
    public Command routeLocalnet(boolean on) {
        return cmd("sysctl", "-q", "-w", "net/ipv4/conf/" + bridge + "/route_localnet=" + (on ? 1 : 0));
    }

    /** What leaves with the last VM's table: route_localnet off, then the guard it needed. */
    public NetworkPlan removeGuard() {
        return NetworkPlan.of(routeLocalnet(false), cmd("nft", "delete", "table", "ip", guardTable()));
    }

    /** The host's nftables tables, one {@code table <family> <name>} line each. */
    public Command listTables() {
        return cmd("nft", "list", "tables");
    }

    /** Whether {@link #listTables}'s output names a VM's table of this bridge, or the guard. */
    public boolean namesVmTables(String listing) {
        return listing.lines().map(String::strip).anyMatch(line -> line.startsWith("table ip " + TABLE_PREFIX + bridge + "-"));
    }

    public boolean namesGuard(String listing) {
        return listing.lines().map(String::strip).anyMatch(line -> line.equals("table ip " + guardTable()));
    }

    /** Deletes the VM's table; fails when it does not exist ({@link #exists}). */
    public Command remove(String vm) {
        return cmd("nft", "delete", "table", "ip", table(vm));
    }

    /** Succeeds exactly when the VM's table exists. */
    public Command exists(String vm) {
        return cmd("nft", "list", "table", "ip", table(vm));
    }

    private static String match(PortForward forward) {
        return forward.hostAddress().equals(PortForward.ANY) ? "fib daddr type local" : "ip daddr " + forward.hostAddress();
    }

    private static String quoted(String word) {
        return "\"" + word + "\"";
    }

    private static Command nft(String script) {
        return cmd("nft", "-f", "-").withStdin(script.getBytes(StandardCharsets.UTF_8));
    }

    private static Command cmd(String... argv) {
        return Command.of(argv).withTimeout(STEP_TIMEOUT);
    }
}
