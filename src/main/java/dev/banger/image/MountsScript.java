package dev.banger.image;

/**
 * The guest's mounts at boot: a POSIX sh script (Debian runs it with dash from
 * {@code banger-mounts.service}, Void from a stage-1 hook) that reads the
 * {@code banger.mount=DEV:MOUNTPOINT:FSTYPE:OPT[,OPT...]} words ({@code guestconfig.KernelCommandLine})
 * from {@code /proc/cmdline}, then from the first line of the config drive (the drive's word wins for
 * its mount point: a warm machine's command line was made before its VM was known), and mounts
 * them, parents first. Images built with it carry no {@code /root} line in their fstab: the daemon
 * sends the work disk as {@code banger.mount=LABEL=banger-work:/root:ext4:defaults}.
 *
 * <p>For each word, checked for its shape first (never evaluated): the mount point is made; a
 * {@code fuse.sshfs} mount is a host directory the host attaches later over SSH, so it gets only its
 * mount point; otherwise the device ({@code LABEL=}, {@code UUID=}, {@code /dev/...}) is awaited for at
 * most {@code BANGER_MOUNT_TIMEOUT} seconds from the script's start, for all devices together (120,
 * the old fstab's device timeout; under emulation udev takes tens of seconds), found through {@code /dev/disk/by-*} or {@code blkid} so udev need not have
 * run, and mounted with {@code mount -t FSTYPE -o OPTS}; a device tag (virtiofs and the like) is
 * mounted as it is. {@code /root}'s ext4 is then grown online to fill its disk ({@code resize2fs}, a
 * no-op once it does; what the fstab's {@code x-systemd.growfs} did), so the host copies only the small
 * seed whatever size the VM asks for. A mount point already mounted is left as it is (a second run
 * only grows). A word that is malformed, a device that never appears or a mount that fails is
 * logged and skipped, so the VM still boots (the fstab's {@code nofail}); the exit status is then 1.
 *
 * <p>For tests: {@code BANGER_CMDLINE} and {@code BANGER_CONFIG_DRIVE} (empty: none) redirect its
 * inputs, {@code BANGER_MOUNT_PREFIX} is put before every mount point, {@code BANGER_DISK_DIR}
 * replaces {@code /dev/disk} and {@code BANGER_MOUNT_TIMEOUT} the wait. Stateless and thread-safe.
 */
public final class MountsScript {
    /** Where the script is installed in the guest. */
    public static final String PATH = "/usr/local/sbin/banger-mounts";
    /** The file system type of a host directory shared over SSH, which the host mounts, not the guest. */
    public static final String SHARE_FS_TYPE = "fuse.sshfs";

    private static final String TEXT = """
            #!/bin/sh
            # banger mounts: the guest's file systems from the kernel command line and the config drive (line 1).
            #   banger.mount=DEV:MOUNTPOINT:FSTYPE:OPT[,OPT...]   (the drive's word wins for its mount point)
            # Written for any POSIX sh; it runs early in boot. Words are checked, never evaluated.
            set -u
            PATH=${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            export PATH

            banger_cmdline_file=${BANGER_CMDLINE:-/proc/cmdline}
            banger_prefix=${BANGER_MOUNT_PREFIX:-}
            banger_disk_dir=${BANGER_DISK_DIR:-/dev/disk}
            banger_timeout=${BANGER_MOUNT_TIMEOUT:-120}

            banger_log() {
                echo "banger-mounts: $*" >&2
            }

            """ + NicBootstrapScript.FIND_CONFIG_DRIVE + """
            banger_config_drive=${BANGER_CONFIG_DRIVE-$(banger_find_config_drive)}

            # Whether $1 is an absolute path of plain segments other than /: no //, no trailing /, no . or .. segment.
            banger_plain_path() {
                case $1 in
                    /*) ;;
                    *) return 1 ;;
                esac
                case $1 in
                    / | *//* | */ | */./* | */. | */../* | */..) return 1 ;;
                    *[!A-Za-z0-9_.+/-]*) return 1 ;;
                esac
                return 0
            }

            # Whether DEV ($1) MOUNTPOINT ($2) FSTYPE ($3) OPTS ($4) are what KernelCommandLine sends.
            banger_valid() {
                case $1 in
                    LABEL=?*) case ${1#LABEL=} in *[!A-Za-z0-9_.-]*) return 1 ;; esac ;;
                    UUID=?*) case ${1#UUID=} in *[!A-Fa-f0-9-]*) return 1 ;; esac ;;
                    /dev/?*) banger_plain_path "$1" || return 1 ;;
                    ?*) case $1 in *[!A-Za-z0-9_.-]* | *=*) return 1 ;; esac ;;
                    *) return 1 ;;
                esac
                banger_plain_path "$2" || return 1
                case $3 in
                    [a-z0-9]*) case $3 in *[!a-z0-9._]*) return 1 ;; esac ;;
                    *) return 1 ;;
                esac
                case $4 in
                    '' | ,* | *, | *,,* | *[!A-Za-z0-9_.+/=,-]*) return 1 ;;
                esac
                return 0
            }

            # The mounts, one line each: DEPTH MOUNTPOINT DEV FSTYPE OPTS (no field has a space).
            banger_entries=

            # Records one banger.mount= value ($1), replacing an earlier word for the same mount point.
            banger_add() {
                case $1 in
                    :* | *: | *::*) banger_log "ignoring banger.mount=$1: expected DEV:MOUNTPOINT:FSTYPE:OPTS"; banger_bad=1; return 0 ;;
                esac
                banger_value=$1
                banger_old_ifs=$IFS
                IFS=:
                set -f
                set -- $1
                set +f
                IFS=$banger_old_ifs
                if [ $# -ne 4 ] || ! banger_valid "$1" "$2" "$3" "$4"; then
                    banger_log "ignoring banger.mount=$banger_value: expected DEV:MOUNTPOINT:FSTYPE:OPTS of plain words"
                    banger_bad=1
                    return 0
                fi
                banger_depth=0
                banger_rest=$2
                while [ -n "$banger_rest" ]; do
                    banger_rest=${banger_rest#/}
                    case $banger_rest in
                        */*) banger_rest=${banger_rest#*/} ;;
                        *) banger_rest= ;;
                    esac
                    banger_depth=$((banger_depth + 1))
                done
                banger_kept=
                while read -r banger_e_depth banger_e_mp banger_e_rest; do
                    if [ -n "$banger_e_mp" ] && [ "$banger_e_mp" != "$2" ]; then
                        banger_kept="$banger_kept$banger_e_depth $banger_e_mp $banger_e_rest
            "
                    fi
                done <<EOF
            $banger_entries
            EOF
                banger_entries="$banger_kept$banger_depth $2 $1 $3 $4
            "
            }

            # Reads the words of one line ($1) in order.
            banger_read_words() {
                set -f
                for banger_word in $1; do
                    case $banger_word in
                        banger.mount=*) banger_add "${banger_word#banger.mount=}" ;;
                    esac
                done
                set +f
            }

            # Seconds since boot, whole: the clock for the device wait (no fork, not moved by a clock change).
            banger_now() {
                banger_uptime=0
                read -r banger_uptime banger_idle < /proc/uptime || true
                printf '%s\\n' "${banger_uptime%%.*}"
            }

            # Prints the block device for $1 (LABEL=, UUID= or /dev/...) once it exists, waiting for it until
            # $banger_deadline: one deadline for the whole run, so missing devices never add up.
            banger_device() {
                while :; do
                    case $1 in
                        LABEL=*)
                            banger_found=$banger_disk_dir/by-label/${1#LABEL=}
                            [ -b "$banger_found" ] || banger_found=$(blkid -L "${1#LABEL=}" 2>/dev/null) || banger_found= ;;
                        UUID=*)
                            banger_found=$banger_disk_dir/by-uuid/${1#UUID=}
                            [ -b "$banger_found" ] || banger_found=$(blkid -U "${1#UUID=}" 2>/dev/null) || banger_found= ;;
                        *) banger_found=$1 ;;
                    esac
                    if [ -n "$banger_found" ] && [ -b "$banger_found" ]; then
                        printf '%s\\n' "$banger_found"
                        return 0
                    fi
                    [ "$(banger_now)" -lt "$banger_deadline" ] || return 1
                    sleep 0.2 2>/dev/null || sleep 1
                done
            }

            # Mounts DEV ($2) of type FSTYPE ($3) with OPTS ($4) on MOUNTPOINT ($1).
            banger_mount_one() {
                banger_target=$banger_prefix$1
                if ! mkdir -p "$banger_target"; then
                    banger_log "cannot make the mount point $1; $2 is not mounted"
                    return 1
                fi
                if [ "$3" = @SHARE@ ]; then
                    # A host directory: the host attaches it over SSH once the guest runs.
                    return 0
                fi
                if mountpoint -q "$banger_target"; then
                    banger_source=$(findmnt -n -o SOURCE --mountpoint "$banger_target" 2>/dev/null) || banger_source=
                else
                    case $2 in
                        LABEL=* | UUID=* | /dev/*)
                            if ! banger_source=$(banger_device "$2"); then
                                banger_log "$2 did not appear within ${banger_timeout}s; $1 is not mounted"
                                return 1
                            fi ;;
                        *) banger_source=$2 ;;
                    esac
                    if ! mount -t "$3" -o "$4" "$banger_source" "$banger_target"; then
                        banger_log "mount -t $3 -o $4 $banger_source $1 failed"
                        return 1
                    fi
                fi
                # The work disk was copied from a small seed; grow its file system to the disk (a no-op once it fills it).
                if [ "$1" = /root ] && [ "$3" = ext4 ] && [ -n "$banger_source" ]; then
                    resize2fs "$banger_source" >/dev/null 2>&1 || banger_log "growing /root on $banger_source failed"
                fi
                return 0
            }

            banger_mounts_main() {
                banger_bad=0
                banger_deadline=$(($(banger_now) + banger_timeout))
                banger_line=
                read -r banger_line < "$banger_cmdline_file" || true
                banger_read_words "$banger_line"
                if [ -n "$banger_config_drive" ] && [ -r "$banger_config_drive" ]; then
                    banger_drive_line=
                    read -r banger_drive_line < "$banger_config_drive" || true
                    banger_read_words "$banger_drive_line"
                fi
                # Parents before children: by depth, in word order within one depth.
                banger_sorted=$(printf '%s' "$banger_entries" | sort -s -n -k1,1)
                while read -r banger_depth banger_mp banger_dev banger_fs banger_opts; do
                    [ -n "$banger_mp" ] || continue
                    banger_mount_one "$banger_mp" "$banger_dev" "$banger_fs" "$banger_opts" || banger_bad=1
                done <<EOF
            $banger_sorted
            EOF
                return $banger_bad
            }

            banger_mounts_main
            exit $?
            """.replace("@SHARE@", SHARE_FS_TYPE);

    private MountsScript() {}

    /** The script's full text. */
    public static String text() {
        return TEXT;
    }
}
