package dev.banger.image;

/**
 * The runit service scripts and stage-1 hooks {@link GuestCustomisation} plans for Void guests.
 * Core-service hooks are sourced by {@code /etc/runit/1}, so they must not {@code exit}.
 * Stateless and thread-safe.
 */
final class RunitServices {
    private RunitServices() {}

    static String netHook() {
        return """
                # banger: configure the guest network from the kernel command line (sourced by /etc/runit/1).
                %s || echo "banger-net: network setup failed" >&2
                """.formatted(NicBootstrapScript.PATH);
    }

    static String hostKeysHook() {
        return """
                # banger: this VM's SSH host key, from its config drive or made once (sourced by /etc/runit/1).
                %s || echo "banger: SSH host key setup failed" >&2
                """.formatted(HostKeysScript.PATH);
    }

    /**
     * Void's own {@code sshd/run} runs {@code ssh-keygen -A} before every start, which would make the
     * RSA and ECDSA keys this VM's identity does without (sshd offers only the ed25519 key) and
     * spend boot time on them; stage 1 has the key in place before runit starts sshd.
     */
    static String sshdRun() {
        return """
                #!/bin/sh
                # banger: the host key is in place already (%s, run in stage 1).
                [ -r conf ] && . ./conf
                exec /usr/bin/sshd -D ${OPTS:-}
                """.formatted(HostKeysScript.PATH);
    }

    /**
     * The mounts the VM's configuration lists, the work disk on {@code /root} among them, grown to
     * its disk ({@link MountsScript}): in stage 1, after Void's own {@code 03-filesystems} made the
     * root writable and udev settled, so before runit starts sshd and opencode in stage 2.
     */
    static String mountsHook() {
        return """
                # banger: this VM's mounts from its kernel command line and config drive (sourced by /etc/runit/1).
                %s || echo "banger: some mounts failed; see the messages above" >&2
                """.formatted(MountsScript.PATH);
    }

    static String agentRun(int port) {
        return """
                #!/bin/sh
                exec %s --port %d 2>&1
                """.formatted(GuestCustomisation.AGENT_PATH, port);
    }

    static String opencodeRun() {
        return """
                #!/bin/sh
                export HOME=/root
                export PATH=%s:%s
                cd /root || exit 1
                exec opencode serve --hostname 0.0.0.0 --port %d 2>&1
                """.formatted(VoidMise.SHIMS, GuestCustomisation.ROOT_PATH, GuestCustomisation.OPENCODE_PORT);
    }
}
