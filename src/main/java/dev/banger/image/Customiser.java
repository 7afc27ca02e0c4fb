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

/**
 * Applies a {@link CustomisationPlan} to a guest root tree, the same way for every distro:
 * directories, files, the agent binary, then the plan's commands inside the root (with
 * {@code /proc} mounted and the host's resolver copied in for the duration), service enabling in
 * the distro's own form, and last the cleanup before sealing. The host mounts are always undone.
 * Not thread-safe; one build owns its tree.
 */
final class Customiser {
    static final Duration CHROOT_TIMEOUT = Duration.ofMinutes(15);

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
        host.run(Command.of("mount", "-t", "proc", "proc", proc.toString()));
        try {
            for (List<String> command : commands) {
                List<String> argv = new ArrayList<>(List.of("chroot", tree.root().toString()));
                argv.addAll(command);
                try {
                    host.run(Command.of(argv)
                            .withEnv(Map.of("HOME", "/root", "PATH", GuestCustomisation.ROOT_PATH, "LC_ALL", "C"))
                            .withTimeout(CHROOT_TIMEOUT));
                } catch (CommandFailedException e) {
                    throw ImageException.precondition("customising the image failed inside the guest root: "
                            + e.getMessage());
                }
            }
        } finally {
            host.exec(Command.of("umount", "--lazy", proc.toString()));
        }
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
