package dev.banger.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans the customisation stages every builder shares: sshd for root by public key only, one per-VM
 * SSH host key (from the config drive, else made at first boot; never baked in), the NIC bootstrap,
 * the mounts the daemon sends, the work disk on {@code /root} among them ({@link MountsScript}, before
 * sshd and opencode; the fstab has the root disk alone),
 * the identity a guest restored from a golden snapshot applies ({@link IdentityApplyScript}), the agent started as early
 * as possible, opencode on port 4096 and pinned mise for the dev profile, root's bash environment,
 * and the state to clear before sealing. Pure: it returns a {@link CustomisationPlan}, it writes
 * nothing. Debian gets systemd units; Void gets runit services and stage-1 core-service hooks, and
 * for the dev profile mise installing opencode ({@link VoidMise}) instead of both from npm.
 * The sshd drop-in relies on the distro's {@code sshd_config} including {@code sshd_config.d/*.conf}
 * (Debian's does; a Void builder must make sure of it). Stateless and thread-safe.
 */
public final class GuestCustomisation {
    /** The port opencode serves on in dev images. */
    public static final int OPENCODE_PORT = 4096;
    /** Where the builder copies the agent binary from the runtime bundle. */
    public static final String AGENT_PATH = "/usr/local/bin/banger-agent";
    /** The systemd unit that runs {@link MountsScript}; sshd and opencode start after it. */
    static final String MOUNTS_UNIT = "banger-mounts.service";
    static final String SSHD_DROP_IN = "/etc/ssh/sshd_config.d/50-banger.conf";
    static final String AUTHORIZED_KEYS = "/root/.ssh/authorized_keys";
    static final String NPM_PREFIX = "/usr/local";
    static final String ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private GuestCustomisation() {}

    /** The whole plan for {@code inputs}. */
    public static CustomisationPlan plan(CustomisationInputs inputs) {
        List<GuestDirectory> dirs = new ArrayList<>();
        List<GuestFile> files = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        List<String> services = new ArrayList<>();
        boolean dev = inputs.profile() == Profile.DEV;
        boolean systemd = inputs.distro() == Distro.DEBIAN;

        dirs.add(new GuestDirectory("/root", 0700));
        dirs.add(new GuestDirectory("/root/.ssh", 0700));
        dirs.add(new GuestDirectory("/etc/ssh/sshd_config.d", 0755));
        files.add(new GuestFile(SSHD_DROP_IN, 0644, sshdDropIn()));
        files.add(new GuestFile(AUTHORIZED_KEYS, 0600, authorizedKeys(inputs.authorizedKeys())));
        files.add(new GuestFile(NicBootstrapScript.PATH, 0755, NicBootstrapScript.text()));
        files.add(new GuestFile(HostKeysScript.PATH, 0755, HostKeysScript.text()));
        files.add(new GuestFile(IdentityApplyScript.PATH, 0755, IdentityApplyScript.text()));
        files.add(new GuestFile(MountsScript.PATH, 0755, MountsScript.text()));
        files.add(new GuestFile("/etc/fstab", 0644, fstab()));
        files.add(new GuestFile("/etc/hostname", 0644, "banger\n"));
        files.add(new GuestFile("/etc/hosts", 0644, "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n"));
        // Void's mise keeps opencode behind its shims, which every root shell needs on PATH.
        files.add(new GuestFile("/root/.bashrc", 0644, systemd || !dev ? RootShell.bashrc(dev) : RootShell.bashrc(true, "$HOME/.local/bin:" + VoidMise.SHIMS)));
        files.add(new GuestFile("/root/.profile", 0644, RootShell.profile()));
        if (dev) {
            files.add(new GuestFile("/etc/profile.d/mise.sh", 0644, RootShell.miseProfile()));
            if (systemd) {
                commands.add(npmInstall("opencode-ai@" + inputs.opencodeVersion()));
                commands.add(npmInstall("@jdxcode/mise@" + inputs.miseVersion()));
            } else {
                commands.addAll(VoidMise.install(inputs.miseVersion(), inputs.opencodeVersion()));
            }
        }

        if (systemd) {
            dirs.add(new GuestDirectory("/etc/systemd/system", 0755));
            files.add(unit("banger-agent.service", SystemdUnits.agent(inputs.agentPort())));
            files.add(unit("banger-net.service", SystemdUnits.net()));
            files.add(unit("banger-ssh-hostkeys.service", SystemdUnits.hostKeys()));
            files.add(unit(MOUNTS_UNIT, SystemdUnits.mounts()));
            // sshd only once /root is the work disk, so nothing a user writes lands on the root disk's copy;
            // Wants, not Requires: a VM whose work disk did not mount is still reachable.
            dirs.add(new GuestDirectory("/etc/systemd/system/ssh.service.d", 0755));
            files.add(new GuestFile("/etc/systemd/system/ssh.service.d/50-banger-mounts.conf", 0644,
                    "[Unit]\nWants=" + MOUNTS_UNIT + "\nAfter=" + MOUNTS_UNIT + "\n"));
            services.addAll(List.of("banger-agent.service", "banger-net.service", "banger-ssh-hostkeys.service", MOUNTS_UNIT,
                    "ssh.service"));
            if (dev) {
                files.add(unit("opencode.service", SystemdUnits.opencode()));
                services.add("opencode.service");
            }
        } else {
            dirs.add(new GuestDirectory("/etc/runit/core-services", 0755));
            files.add(new GuestFile("/etc/runit/core-services/50-banger-net.sh", 0644, RunitServices.netHook()));
            files.add(new GuestFile("/etc/runit/core-services/51-banger-ssh-hostkeys.sh", 0644, RunitServices.hostKeysHook()));
            files.add(new GuestFile("/etc/runit/core-services/52-banger-mounts.sh", 0644, RunitServices.mountsHook()));
            dirs.add(new GuestDirectory("/etc/sv/banger-agent", 0755));
            files.add(new GuestFile("/etc/sv/banger-agent/run", 0755, RunitServices.agentRun(inputs.agentPort())));
            dirs.add(new GuestDirectory("/etc/sv/sshd", 0755));
            files.add(new GuestFile("/etc/sv/sshd/run", 0755, RunitServices.sshdRun()));
            services.addAll(List.of("banger-agent", "sshd"));
            if (dev) {
                dirs.add(new GuestDirectory("/etc/sv/opencode", 0755));
                files.add(new GuestFile("/etc/sv/opencode/run", 0755, RunitServices.opencodeRun()));
                services.add("opencode");
            }
        }
        List<CleanupPath> cleanup = new ArrayList<>(cleanupPaths(inputs.distro()));
        if (dev && !systemd) {
            cleanup.addAll(VoidMise.cleanup());
        }
        return new CustomisationPlan(dirs, files, commands, services, cleanup);
    }

    /** What to clear before sealing a {@code distro} root: caches, logs, per-instance identity, host keys, temp files, history. */
    public static List<CleanupPath> cleanupPaths(Distro distro) {
        List<CleanupPath> paths = new ArrayList<>();
        if (distro == Distro.DEBIAN) {
            paths.add(CleanupPath.delete("/var/cache/apt/archives/*.deb"));
            paths.add(CleanupPath.delete("/var/cache/apt/archives/partial/*"));
            paths.add(CleanupPath.delete("/var/cache/apt/*.bin"));
            paths.add(CleanupPath.delete("/var/lib/apt/lists/*"));
            paths.add(CleanupPath.delete("/var/cache/debconf/*-old"));
        } else {
            paths.add(CleanupPath.delete("/var/cache/xbps/*"));
        }
        paths.add(CleanupPath.delete("/var/log/*"));
        // systemd makes a fresh id at first boot only when the file exists and is empty; a missing
        // file would make it treat the boot as "first boot" with presets re-applied.
        paths.add(CleanupPath.truncate("/etc/machine-id"));
        paths.add(CleanupPath.delete("/var/lib/dbus/machine-id"));
        paths.add(CleanupPath.delete("/var/lib/systemd/random-seed"));
        paths.add(CleanupPath.delete("/etc/ssh/ssh_host_*"));
        paths.add(CleanupPath.delete("/tmp/*"));
        paths.add(CleanupPath.delete("/var/tmp/*"));
        paths.add(CleanupPath.delete("/root/.bash_history"));
        paths.add(CleanupPath.delete("/root/.lesshst"));
        paths.add(CleanupPath.delete("/root/.viminfo"));
        paths.add(CleanupPath.delete("/root/.npm"));
        paths.add(CleanupPath.delete("/root/.cache"));
        return List.copyOf(paths);
    }

    /**
     * The root disk alone: it is always the first drive. The work disk is not here: the daemon sends
     * its mount ({@code banger.mount=LABEL=banger-work:/root:ext4:defaults}) and {@link MountsScript}
     * mounts it by its label, waits for it a while (under emulation udev takes tens of seconds), lets
     * the VM boot without it when it never appears, and grows its file system online to fill the disk
     * (the host copies only the small seed, whatever size the VM asks for).
     */
    static String fstab() {
        return """
                # banger: the VM's root disk. The work disk's /root and any shared directory come from the
                # VM's configuration (banger.mount= words, mounted by %s).
                /dev/vda  /  ext4  defaults  0 1
                """.formatted(MountsScript.PATH);
    }

    static String sshdDropIn() {
        return """
                # banger: root logs in with the runtime bundle's key only. A VM is known by one host key, its own
                # (from its config drive, or made at first boot); sshd offers no other.
                HostKey /etc/ssh/ssh_host_ed25519_key
                PermitRootLogin prohibit-password
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                AuthorizedKeysFile .ssh/authorized_keys
                """;
    }

    private static String authorizedKeys(String keys) {
        StringBuilder out = new StringBuilder();
        for (String line : keys.strip().split("\\R")) {
            if (!line.isBlank()) {
                out.append(line.strip()).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> npmInstall(String spec) {
        // An explicit prefix puts the binaries at /usr/local/bin on every distro, where the units expect them.
        return List.of("npm", "install", "--global", "--prefix", NPM_PREFIX, "--no-fund", "--no-audit", spec);
    }

    private static GuestFile unit(String name, String text) {
        return new GuestFile("/etc/systemd/system/" + name, 0644, text);
    }
}
