package dev.banger.host.net;

import java.util.List;
import java.util.Objects;

/**
 * One iptables rule banger installs, identified by its table, chain and rule specification (the
 * arguments after the chain name, including {@code -m comment --comment banger:<bridge>}).
 * Deleting by specification needs no kernel rule number, so a stored rule stays valid across
 * reboots and other tools' edits. Immutable value.
 *
 * @param table {@code nat} or {@code filter}
 * @param chain e.g. {@code POSTROUTING}, {@code FORWARD}
 * @param spec  the match and target arguments
 */
public record IptablesRule(String table, String chain, List<String> spec) {
    public IptablesRule {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(chain, "chain");
        spec = List.copyOf(Objects.requireNonNull(spec, "spec"));
    }

    /** The value of {@code --comment}, or empty when the rule has none. */
    public String comment() {
        int at = spec.indexOf("--comment");
        return at >= 0 && at + 1 < spec.size() ? spec.get(at + 1) : "";
    }

    /** For logs: the rule as {@code iptables -S} would print it, with its table. */
    public String describe() {
        return "iptables -t " + table + " -A " + chain + " " + String.join(" ", spec);
    }
}
