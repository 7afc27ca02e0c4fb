package dev.banger.doctor;

import dev.banger.config.NetworkConfig;
import dev.banger.host.net.ResolvedLinkDns;
import dev.banger.model.CheckResult;
import java.nio.file.Files;

/**
 * Whether VM names resolve on the host: where systemd-resolved runs, the daemon routes
 * {@code <vm>.<domain>} to its DNS server on the bridge while it runs ({@link ResolvedLinkDns});
 * elsewhere the host's resolver is the user's to point there, and this check says how. Runs
 * nothing. Safe for concurrent use.
 */
final class HostNamesCheck extends ContextCheck {
    static final String NAME = "host-names";

    HostNamesCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public CheckResult run() {
        NetworkConfig network = ctx.config().network();
        String gateway = network.subnet().gateway();
        String domain = network.domain();
        boolean resolved = Files.isDirectory(ctx.hostPath(ResolvedLinkDns.RUNTIME_DIR.toString()))
                && ctx.host().available("resolvectl");
        if (resolved) {
            return CheckResult.ok(NAME, "systemd-resolved runs: while bangerd runs, <vm>." + domain + " resolves on this host "
                    + "(the daemon routes ~" + domain + " on " + network.bridge() + " to its DNS server at " + gateway + ")");
        }
        return CheckResult.warn(NAME, "systemd-resolved does not run here, so <vm>." + domain
                        + " resolves inside guests but not on this host",
                "point this host's resolver at " + gateway + " for " + domain + " while bangerd runs, e.g. with dnsmasq: "
                        + "server=/" + domain + "/" + gateway + "; or ask the daemon's DNS server directly: dig @" + gateway
                        + " <vm>." + domain);
    }
}
