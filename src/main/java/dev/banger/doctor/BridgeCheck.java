package dev.banger.doctor;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostException;
import dev.banger.model.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Whether the kernel can make the guests' bridge: the bridge module is loaded, built in, or
 * loadable ({@code modprobe --dry-run}). It never creates a device in the host's network
 * namespace. Safe for concurrent use.
 */
final class BridgeCheck extends ContextCheck {
    static final String NAME = "bridge";

    BridgeCheck(DoctorContext ctx) {
        super(NAME, ctx);
    }

    @Override
    public CheckResult run() {
        if (Files.isDirectory(ctx.hostPath("/sys/module/bridge"))) {
            return CheckResult.ok(NAME, "the bridge module is loaded");
        }
        String release = ctx.hostKernelRelease();
        if (builtIn(ctx.hostPath("/lib/modules/" + release + "/modules.builtin"))) {
            return CheckResult.ok(NAME, "bridge support is built into the kernel");
        }
        if (ctx.host().available("modprobe")) {
            try {
                CommandResult dryRun = ctx.host().exec(
                        Command.of("modprobe", "--dry-run", "--quiet", "bridge").withTimeout(Duration.ofSeconds(10)));
                if (dryRun.succeeded()) {
                    return CheckResult.ok(NAME, "the bridge module is available and loads on first use");
                }
            } catch (HostException e) {
                // Fall through: we could not show that the module is loadable.
            }
        }
        return CheckResult.fail(NAME, "the kernel has no bridge support: the bridge module is neither loaded, built in, "
                        + "nor loadable for kernel " + release,
                "install the kernel modules for " + release + " (e.g. the linux-image package), then modprobe bridge");
    }

    private static boolean builtIn(Path modulesBuiltin) {
        try {
            return Files.isRegularFile(modulesBuiltin)
                    && Files.readAllLines(modulesBuiltin).stream().anyMatch(l -> l.endsWith("/bridge.ko"));
        } catch (IOException e) {
            return false;
        }
    }
}
