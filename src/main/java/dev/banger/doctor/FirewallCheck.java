package dev.banger.doctor;

import dev.banger.config.NatMode;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostException;
import dev.banger.model.CheckResult;
import java.time.Duration;
import java.util.Optional;

/**
 * Whether the NAT backend that {@code network.nat} asks for is installed: {@code nft} or
 * {@code iptables}. An explicitly configured backend that is missing fails; in {@code auto} mode
 * having neither is a WARN, as guests then only lack internet access. Safe for concurrent use.
 */
final class FirewallCheck extends ContextCheck {
    static final String NAME = "firewall";

    FirewallCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public CheckResult run() {
        NatMode mode = ctx.config().network().nat();
        return switch (mode) {
            case OFF -> CheckResult.ok(NAME, "NAT is off (network.nat = \"off\"): guests reach only the host");
            case NFTABLES -> version("nft").map(v -> CheckResult.ok(NAME, "NAT through nftables: " + v))
                    .orElseGet(() -> CheckResult.fail(NAME, "network.nat = \"nftables\" but nft is not installed or does not run",
                            "apt-get install nftables, or set network.nat = \"auto\""));
            case IPTABLES -> version("iptables").map(v -> CheckResult.ok(NAME, "NAT through iptables: " + v))
                    .orElseGet(() -> CheckResult.fail(NAME, "network.nat = \"iptables\" but iptables is not installed or does not run",
                            "apt-get install iptables, or set network.nat = \"auto\""));
            case AUTO -> version("nft").map(v -> CheckResult.ok(NAME, "NAT through nftables: " + v))
                    .or(() -> version("iptables").map(v -> CheckResult.ok(NAME, "NAT through iptables: " + v)))
                    .orElseGet(() -> CheckResult.warn(NAME, "neither nft nor iptables is installed, so guests get no internet access",
                            "apt-get install nftables"));
        };
    }

    private Optional<String> version(String program) {
        if (!ctx.host().available(program)) {
            return Optional.empty();
        }
        try {
            CommandResult result = ctx.host().exec(Command.of(program, "--version").withTimeout(Duration.ofSeconds(10)));
            return result.succeeded() ? Optional.of(KvmCheck.firstLine(result)) : Optional.empty();
        } catch (HostException e) {
            return Optional.empty();
        }
    }
}
