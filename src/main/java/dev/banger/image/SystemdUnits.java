package dev.banger.image;

/** The systemd unit texts {@link GuestCustomisation} plans for Debian guests. Stateless and thread-safe. */
final class SystemdUnits {
    private SystemdUnits() {}

    /** Started before the usual boot ordering (no default dependencies) so the host sees health as early as possible. */
    static String agent(int port) {
        return """
                [Unit]
                Description=banger guest agent (health over vsock / virtio-serial)
                DefaultDependencies=no
                Before=sysinit.target network-pre.target ssh.service shutdown.target
                Conflicts=shutdown.target
                # Early in boot its device may not exist yet; keep retrying rather than give up.
                StartLimitIntervalSec=0

                [Service]
                ExecStart=%s --port %d
                Restart=always
                RestartSec=200ms

                [Install]
                WantedBy=sysinit.target
                """.formatted(GuestCustomisation.AGENT_PATH, port);
    }

    static String net() {
        return """
                [Unit]
                Description=banger guest network from the kernel command line
                DefaultDependencies=no
                After=systemd-remount-fs.service
                Wants=network-pre.target
                Before=network-pre.target network.target ssh.service shutdown.target
                Conflicts=shutdown.target

                [Service]
                Type=oneshot
                RemainAfterExit=yes
                ExecStart=%s

                [Install]
                WantedBy=sysinit.target
                """.formatted(NicBootstrapScript.PATH);
    }

    /**
     * sshd refuses to start without a host key; each VM has its own, from its config drive at every
     * boot when the drive carries one, else made once ({@link HostKeysScript}), so two VMs never share one.
     */
    static String hostKeys() {
        return """
                [Unit]
                Description=banger per-VM SSH host key
                Before=ssh.service

                [Service]
                Type=oneshot
                RemainAfterExit=yes
                ExecStart=%s

                [Install]
                WantedBy=multi-user.target ssh.service
                """.formatted(HostKeysScript.PATH);
    }

    /**
     * The mounts the VM's configuration lists, the work disk on {@code /root} among them, as early as
     * an fstab mount would be (before {@code local-fs.target}) once the root file system is writable.
     * It waits for a missing device at most two minutes, then lets the boot go on without it.
     */
    static String mounts() {
        return """
                [Unit]
                Description=banger guest mounts from the kernel command line and the config drive
                DefaultDependencies=no
                After=systemd-remount-fs.service
                Before=local-fs.target ssh.service opencode.service shutdown.target
                Conflicts=shutdown.target

                [Service]
                Type=oneshot
                RemainAfterExit=yes
                ExecStart=%s
                TimeoutStartSec=180

                [Install]
                WantedBy=local-fs.target
                """.formatted(MountsScript.PATH);
    }

    static String opencode() {
        return """
                [Unit]
                Description=opencode server on port %d
                After=network.target banger-net.service %s
                Wants=%s

                [Service]
                Environment=HOME=/root
                Environment=PATH=%s
                WorkingDirectory=/root
                ExecStart=/usr/local/bin/opencode serve --hostname 0.0.0.0 --port %d
                Restart=on-failure
                RestartSec=1s

                [Install]
                WantedBy=multi-user.target
                """.formatted(GuestCustomisation.OPENCODE_PORT, GuestCustomisation.MOUNTS_UNIT, GuestCustomisation.MOUNTS_UNIT,
                GuestCustomisation.ROOT_PATH, GuestCustomisation.OPENCODE_PORT);
    }
}
