package dev.banger.image;

/**
 * What a guest restored from a golden snapshot runs to become its VM, once the agent has written
 * the identity the daemon sent it (hostname, machine id, SSH host key, and the VM's {@code banger.*}
 * words in a file shaped like a kernel command line): a POSIX sh script, run by the agent as
 * {@code banger-identity-apply CMDLINE_FILE GROW_ROOT} with no shell between. It configures the
 * network from that file with {@link NicBootstrapScript} (the config drive ignored: the file is the
 * whole truth), grows {@code /root}'s file system to its disk when {@code GROW_ROOT} is {@code yes}
 * (the host grew the disk after the snapshot), and has sshd take up the new host key
 * (a hang-up to the pid in {@code /run/sshd.pid}, else {@code systemctl reload-or-restart ssh.service} under
 * systemd, {@code sv hup sshd} under runit).
 * Any failing step stops it with a non-zero exit and a line on stderr naming the step, which the
 * agent passes to the daemon. For tests: {@code BANGER_IDENTITY_DRY_RUN=1} prints the commands
 * instead of running them (and runs the NIC script with {@code BANGER_NET_DRY_RUN=1}),
 * {@code BANGER_NET_SETUP} names the NIC script, {@code BANGER_MOUNTS} the mount table and
 * {@code BANGER_SYSTEMD_MARKER} the directory whose presence means systemd is the init, {@code BANGER_SSHD_PID_FILE}
 * sshd's pid file.
 * Stateless and thread-safe.
 */
public final class IdentityApplyScript {
    /** Where the script is installed in the guest; the agent runs it by this path. */
    public static final String PATH = "/usr/local/sbin/banger-identity-apply";

    private static final String TEXT = """
            #!/bin/sh
            # banger identity: makes a guest restored from a golden snapshot into its VM, after the agent has
            # written its hostname, machine id and SSH host key.
            #   usage: banger-identity-apply CMDLINE_FILE yes|no
            #   CMDLINE_FILE: one line of banger.hostname= banger.ip= banger.gw= banger.dns= banger.mac= words
            #   yes: grow the file system at /root to its disk, which the host has just grown
            set -u
            PATH=${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            export PATH

            banger_fail() {
                echo "banger-identity: $*" >&2
                exit 1
            }

            banger_run() {
                if [ "${BANGER_IDENTITY_DRY_RUN:-0}" = 1 ]; then
                    printf '%%s\\n' "$*"
                else
                    "$@"
                fi
            }

            [ $# -eq 2 ] || banger_fail "usage: banger-identity-apply CMDLINE_FILE yes|no (got $# arguments)"
            banger_cmdline=$1
            banger_grow=$2
            case $banger_grow in
                yes|no) ;;
                *) banger_fail "GROW_ROOT is '$banger_grow', expected yes or no" ;;
            esac
            [ -r "$banger_cmdline" ] || banger_fail "cannot read the identity's command line file $banger_cmdline"

            # The network, exactly as the file says: an empty BANGER_CONFIG_DRIVE keeps the snapshot's drive out of it.
            banger_net=${BANGER_NET_SETUP:-%s}
            if [ "${BANGER_IDENTITY_DRY_RUN:-0}" = 1 ]; then
                BANGER_NET_DRY_RUN=1
                export BANGER_NET_DRY_RUN
            fi
            BANGER_CMDLINE=$banger_cmdline BANGER_CONFIG_DRIVE= "$banger_net" ||
                banger_fail "network setup from $banger_cmdline failed (exit $?); see the banger-net lines above"

            # The device mounted at /root, from the mount table (no findmnt needed).
            banger_root_device() {
                while read -r banger_dev banger_dir banger_rest; do
                    if [ "$banger_dir" = /root ]; then
                        printf '%%s\\n' "$banger_dev"
                        return 0
                    fi
                done < "${BANGER_MOUNTS:-/proc/self/mounts}"
                return 1
            }

            if [ "$banger_grow" = yes ]; then
                banger_dev=$(banger_root_device) ||
                    banger_fail "nothing is mounted at /root, so there is no work disk to grow; is the VM's work disk attached?"
                # The kernel has seen the disk's new size (a virtio config change); resize2fs grows the mounted
                # file system online, and only says so when there is nothing to do.
                banger_run resize2fs "$banger_dev" ||
                    banger_fail "growing /root's file system on $banger_dev failed (exit $?)"
            fi

            # sshd reads host keys when it starts: have it start again with the key the agent wrote. A
            # hang-up to the listener re-executes it; systemctl's reload would first run `sshd -t`, a
            # second start of sshd that costs the restored guest most of a second under emulation.
            banger_sshd_pid=
            read -r banger_sshd_pid < "${BANGER_SSHD_PID_FILE:-/run/sshd.pid}" 2>/dev/null || true
            case $banger_sshd_pid in
                ''|*[!0-9]*) banger_sshd_pid= ;;
            esac
            if [ -n "$banger_sshd_pid" ]; then
                banger_run kill -HUP "$banger_sshd_pid" ||
                    banger_fail "sshd (pid $banger_sshd_pid) did not take the hang-up (kill exit $?)"
            elif [ -d "${BANGER_SYSTEMD_MARKER:-/run/systemd/system}" ]; then
                banger_run systemctl reload-or-restart ssh.service ||
                    banger_fail "sshd did not reload with the new host key (systemctl exit $?)"
            else
                banger_run sv hup sshd ||
                    banger_fail "sshd did not reload with the new host key (sv exit $?)"
            fi
            exit 0
            """.formatted(NicBootstrapScript.PATH);

    private IdentityApplyScript() {}

    /** The script's full text. */
    public static String text() {
        return TEXT;
    }
}
