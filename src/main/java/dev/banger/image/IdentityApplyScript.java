package dev.banger.image;

/**
 * What is left for a guest restored from a golden snapshot to become its VM once the agent has
 * applied the identity the daemon sent it (files, hostname, network, and a running sshd made to
 * serve the new key, all done natively by the agent): the steps that need the image's own tools or init. A
 * POSIX sh script, run by the agent as {@code banger-identity-apply GROW_ROOT RELOAD_SSHD} (each
 * {@code yes} or {@code no}) with no shell between, and only when one of them is {@code yes}: it
 * grows {@code /root}'s file system to its disk when {@code GROW_ROOT} is {@code yes} (the host
 * grew the disk after the snapshot), and has sshd take up the new host key when
 * {@code RELOAD_SSHD} is {@code yes}, which the agent asks for when it found no live sshd by its
 * pid file ({@code systemctl reload-or-restart ssh.service} under systemd, {@code sv hup sshd}
 * under runit).
 * Any failing step stops it with a non-zero exit and a line on stderr naming the step, which the
 * agent passes to the daemon. For tests: {@code BANGER_IDENTITY_DRY_RUN=1} prints the commands
 * instead of running them, {@code BANGER_MOUNTS} names the mount table and
 * {@code BANGER_SYSTEMD_MARKER} the directory whose presence means systemd is the init.
 * Stateless and thread-safe.
 */
public final class IdentityApplyScript {
    /** Where the script is installed in the guest; the agent runs it by this path. */
    public static final String PATH = "/usr/local/sbin/banger-identity-apply";

    private static final String TEXT = """
            #!/bin/sh
            # banger identity: what is left, after the agent applied a restored guest's identity, that needs the
            # image's own tools.
            #   usage: banger-identity-apply GROW_ROOT RELOAD_SSHD
            #   GROW_ROOT yes: grow the file system at /root to its disk, which the host has just grown
            #   RELOAD_SSHD yes: have sshd take up the new host key through the init (no running sshd took a hang-up)
            set -u
            PATH=${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            export PATH

            banger_fail() {
                echo "banger-identity: $*" >&2
                exit 1
            }

            banger_run() {
                if [ "${BANGER_IDENTITY_DRY_RUN:-0}" = 1 ]; then
                    printf '%s\n' "$*"
                else
                    "$@"
                fi
            }

            [ $# -eq 2 ] || banger_fail "usage: banger-identity-apply GROW_ROOT RELOAD_SSHD, each yes|no (got $# arguments)"
            banger_grow=$1
            banger_reload=$2
            case $banger_grow in
                yes|no) ;;
                *) banger_fail "GROW_ROOT is '$banger_grow', expected yes or no" ;;
            esac
            case $banger_reload in
                yes|no) ;;
                *) banger_fail "RELOAD_SSHD is '$banger_reload', expected yes or no" ;;
            esac

            # The device mounted at /root, from the mount table (no findmnt needed).
            banger_root_device() {
                while read -r banger_dev banger_dir banger_rest; do
                    if [ "$banger_dir" = /root ]; then
                        printf '%s\n' "$banger_dev"
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

            # sshd reads host keys when it starts. The agent hangs up a running sshd itself; this is for one
            # it found no live pid of, which only the init knows how to reach.
            if [ "$banger_reload" = yes ]; then
                if [ -d "${BANGER_SYSTEMD_MARKER:-/run/systemd/system}" ]; then
                    banger_run systemctl reload-or-restart ssh.service ||
                        banger_fail "sshd did not reload with the new host key (systemctl exit $?)"
                else
                    banger_run sv hup sshd ||
                        banger_fail "sshd did not reload with the new host key (sv exit $?)"
                fi
            fi
            exit 0
            """;

    private IdentityApplyScript() {}

    /** The script's full text. */
    public static String text() {
        return TEXT;
    }
}
