package dev.banger.image;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link CustomisationPlan} to a guest root tree, the same way for every distro:
 * directories, files, the agent binary, then the plan's commands inside the root (with
 * {@code /proc} mounted and the host's resolver copied in for the duration), service enabling in
 * the distro's own form, and last the cleanup before sealing. The host mounts are always undone.
 * Not thread-safe; one build owns its tree.
 */
final class Customiser {
    static final Duration CHROOT_TIMEOUT = Duration.ofMinutes(15);
    private static final Path HOST_CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");
    private static final String BUILD_CA_BUNDLE = "/tmp/banger-host-ca.crt";

    private final HostCommands host;

    Customiser(HostCommands host) {
        this.host = host;
    }

    void apply(GuestTree tree, CustomisationPlan plan, Distro distro, Path agentBinary) {
        plan.directories().forEach(tree::mkdir);
        plan.files().forEach(tree::write);
        tree.copyIn(agentBinary, GuestCustomisation.AGENT_PATH, 0755);
        runInside(tree, plan.chrootCommands());
        enableServices(tree, distro, plan.enableServices());
    }

    /** Clears what must not be sealed into the image; returns what was cleared. */
    List<String> seal(GuestTree tree, CustomisationPlan plan) {
        List<String> cleared = new ArrayList<>();
        for (CleanupPath path : plan.cleanupPaths()) {
            cleared.addAll(tree.clean(path));
        }
        return cleared;
    }

    private void runInside(GuestTree tree, List<List<String>> commands) {
        runInside(tree, commands, Optional.empty());
    }

    /**
     * Runs commands inside the guest root with {@code /proc} mounted and the host's resolver copied
     * in; with a package cache, it is bind-mounted over the guest's apt archive so downloads are
     * kept for the next build. Every mount is undone, also on failure.
     */
    void runInside(GuestTree tree, List<List<String>> commands, Optional<Path> packageCache) {
        if (commands.isEmpty()) {
            return;
        }
        Path proc = tree.resolve("/proc");
        Path resolv = tree.resolve("/etc/resolv.conf");
        try {
            Files.deleteIfExists(resolv);
            Files.copy(Path.of("/etc/resolv.conf"), resolv);
        } catch (java.io.IOException e) {
            throw ImageException.io("cannot give the build root a resolver: " + e.getMessage(), e);
        }
        Map<String, String> env = new java.util.HashMap<>(Map.of("HOME", "/root", "PATH", GuestCustomisation.ROOT_PATH,
                "LC_ALL", "C", "DEBIAN_FRONTEND", "noninteractive"));
        env.putAll(hostFetchSettings(tree));
        List<Path> mounted = new ArrayList<>();
        try {
            host.run(Command.of("mount", "-t", "proc", "proc", proc.toString()));
            mounted.add(proc);
            if (packageCache.isPresent()) {
                Path archives = tree.resolve("/var/cache/apt/archives");
                host.run(Command.of("mount", "--bind", packageCache.get().toString(), archives.toString()));
                mounted.add(archives);
            }
            for (List<String> command : commands) {
                List<String> argv = new ArrayList<>(List.of("chroot", tree.root().toString()));
                argv.addAll(command);
                try {
                    host.run(Command.of(argv).withEnv(env).withTimeout(CHROOT_TIMEOUT));
                } catch (CommandFailedException e) {
                    throw ImageException.precondition("a command inside the guest root failed: " + e.getMessage());
                }
            }
        } finally {
            for (Path mount : mounted.reversed()) {
                host.exec(Command.of("umount", "--lazy", mount.toString()));
            }
        }
    }

    /**
     * Downloads inside the build root trust what the host trusts and use the host's npm registry:
     * the host's CA bundle is copied to the build root's {@code /tmp} (cleared before sealing, so
     * nothing of the host is baked into the image) and named to npm and node by environment.
     */
    private Map<String, String> hostFetchSettings(GuestTree tree) {
        Map<String, String> env = new java.util.HashMap<>();
        if (Files.isRegularFile(HOST_CA_BUNDLE)) {
            tree.copyIn(HOST_CA_BUNDLE, BUILD_CA_BUNDLE, 0644);
            env.put("NODE_EXTRA_CA_CERTS", BUILD_CA_BUNDLE);
            env.put("npm_config_cafile", BUILD_CA_BUNDLE);
        }
        if (host.available("npm")) {
            dev.banger.host.CommandResult registry = host.exec(Command.of("npm", "config", "get", "registry"));
            String url = registry.stdout().strip();
            if (registry.succeeded() && url.matches("https?://\\S+")) {
                env.put("npm_config_registry", url);
            }
        }
        return env;
    }

    private void enableServices(GuestTree tree, Distro distro, List<String> services) {
        if (services.isEmpty()) {
            return;
        }
        if (distro == Distro.DEBIAN) {
            // The guest's own systemctl, so the host needs no systemd; enabling only writes links.
            List<String> argv = new ArrayList<>(List.of("chroot", tree.root().toString(), "systemctl", "enable"));
            argv.addAll(services);
            host.run(Command.of(argv));
        } else {
            // runit enables a service by linking its directory into the default runsvdir.
            for (String service : services) {
                tree.symlink("/etc/runit/runsvdir/default/" + service, "/etc/sv/" + service);
            }
        }
    }
}
