package dev.banger.image;

/**
 * The guest's NIC bootstrap: a POSIX sh script (no bashisms: Debian runs it with dash, Void early in
 * runit's stage 1) that reads {@code banger.ip=ADDR/PREFIX}, {@code banger.gw=ADDR},
 * {@code banger.dns=ADDR[,ADDR...]}, optional {@code banger.iface=NAME} and {@code banger.hostname=NAME} from
 * {@code /proc/cmdline}, then the same words from the first line of the config drive when the machine
 * has one (a virtio disk whose serial is {@code banger-config}, see {@code guestconfig.ConfigDrive}: a
 * machine started before its VM was known gets its settings there, and they win), sets the NIC's MAC
 * ({@code banger.mac=}), brings the interface up, replaces its IPv4 addresses and default route with
 * {@code ip}, and writes {@code /etc/resolv.conf}. Re-running it with other words leaves only them:
 * {@link IdentityApplyScript} runs it again in a guest restored from a snapshot, whose NIC the
 * snapshot's boot left down without an address.
 * For tests: {@code BANGER_CMDLINE}, {@code BANGER_CONFIG_DRIVE}, {@code BANGER_SYS_NET} (the
 * interfaces' directory), {@code BANGER_RESOLV} and {@code BANGER_HOSTNAME_FILE} redirect its inputs
 * and outputs, {@code BANGER_NET_DRY_RUN=1} prints the {@code ip} commands instead of running them,
 * and {@code BANGER_NET_LIB=1} only defines its functions. Stateless and thread-safe.
 */
public final class NicBootstrapScript {
    /** Where the script is installed in the guest. */
    public static final String PATH = "/usr/local/sbin/banger-net-setup";

    /**
     * The sh function {@code banger_find_config_drive}, which prints the config drive's device
     * ({@code /dev/vdX}) or fails: shared with {@link HostKeysScript}.
     */
    static final String FIND_CONFIG_DRIVE = """
            # The config drive: the virtio disk whose serial is banger-config (no udev needed this early).
            banger_find_config_drive() {
                for banger_serial_file in /sys/block/vd*/serial; do
                    banger_serial=
                    read -r banger_serial < "$banger_serial_file" 2>/dev/null || true
                    if [ "$banger_serial" = banger-config ]; then
                        banger_disk=${banger_serial_file%/serial}
                        printf '/dev/%s\n' "${banger_disk##*/}"
                        return 0
                    fi
                done
                return 1
            }
            """;

    private static final String TEXT = """
            #!/bin/sh
            # banger NIC bootstrap: configures the guest network from the kernel command line and the config drive.
            #   banger.ip=ADDR/PREFIX  banger.gw=ADDR  banger.dns=ADDR[,ADDR...]  banger.iface=NAME  banger.hostname=NAME
            #   banger.mac=MAC
            # Written for any POSIX sh: it runs before anything else is up.
            set -u

            banger_cmdline_file=${BANGER_CMDLINE:-/proc/cmdline}
            banger_resolv_file=${BANGER_RESOLV:-/etc/resolv.conf}

            """ + FIND_CONFIG_DRIVE + """
            banger_config_drive=${BANGER_CONFIG_DRIVE-$(banger_find_config_drive)}

            # Prints the value of the last NAME=VALUE word for NAME ($1), as the kernel lets the last one win;
            # the config drive's line comes after the command line's.
            banger_param() {
                banger_line=
                read -r banger_line < "$banger_cmdline_file" || true
                banger_drive_line=
                if [ -n "$banger_config_drive" ]; then
                    read -r banger_drive_line < "$banger_config_drive" || true
                fi
                banger_value=
                set -f
                for banger_word in $banger_line $banger_drive_line; do
                    case $banger_word in
                        "$1"=*) banger_value=${banger_word#*=} ;;
                    esac
                done
                set +f
                printf '%s\\n' "$banger_value"
            }

            banger_run() {
                if [ "${BANGER_NET_DRY_RUN:-0}" = 1 ]; then
                    printf '%s\\n' "$*"
                else
                    "$@"
                fi
            }

            # The interface named by banger.iface=, else the first one that is not loopback.
            banger_iface() {
                banger_name=$(banger_param banger.iface)
                if [ -n "$banger_name" ]; then
                    printf '%s\\n' "$banger_name"
                    return 0
                fi
                for banger_dev in "${BANGER_SYS_NET:-/sys/class/net}"/*; do
                    banger_name=${banger_dev##*/}
                    if [ "$banger_name" != lo ] && [ -d "$banger_dev" ]; then
                        printf '%s\\n' "$banger_name"
                        return 0
                    fi
                done
                return 1
            }

            # Writes one nameserver line per comma-separated address, replacing the file in one rename.
            banger_write_resolv() {
                banger_content=
                banger_old_ifs=$IFS
                IFS=,
                set -f
                for banger_server in $1; do
                    if [ -n "$banger_server" ]; then
                        banger_content="${banger_content}nameserver ${banger_server}
            "
                    fi
                done
                set +f
                IFS=$banger_old_ifs
                printf '%s' "$banger_content" > "$banger_resolv_file.banger-tmp" &&
                    mv -f "$banger_resolv_file.banger-tmp" "$banger_resolv_file"
            }

            # The VM's name: the kernel's hostname (no hostname binary needed) and /etc/hostname for later readers.
            banger_set_hostname() {
                if [ "${BANGER_NET_DRY_RUN:-0}" = 1 ]; then
                    printf 'hostname %s\\n' "$1"
                    return 0
                fi
                printf '%s\\n' "$1" > /proc/sys/kernel/hostname || return 1
                printf '%s\\n' "$1" > "${BANGER_HOSTNAME_FILE:-/etc/hostname}"
            }

            banger_net_main() {
                banger_hostname=$(banger_param banger.hostname)
                if [ -n "$banger_hostname" ]; then
                    banger_set_hostname "$banger_hostname" || return 1
                fi
                banger_ip=$(banger_param banger.ip)
                banger_gw=$(banger_param banger.gw)
                banger_dns=$(banger_param banger.dns)
                banger_run ip link set dev lo up
                if [ -z "$banger_ip" ]; then
                    echo "banger-net: no banger.ip= on the kernel command line or the config drive; leaving the network alone" >&2
                    return 0
                fi
                case $banger_ip in
                    */*) ;;
                    *)
                        echo "banger-net: banger.ip=$banger_ip has no /prefix; expected e.g. 172.16.0.2/24" >&2
                        return 1
                        ;;
                esac
                if ! banger_dev=$(banger_iface); then
                    echo "banger-net: no network interface besides lo" >&2
                    return 1
                fi
                banger_mac=$(banger_param banger.mac)
                if [ -n "$banger_mac" ]; then
                    # Before the link is up: a virtio NIC without live MAC change refuses it while up,
                    # so a second run (the link already up) takes the link down and tries again.
                    if ! banger_run ip link set dev "$banger_dev" address "$banger_mac"; then
                        banger_run ip link set dev "$banger_dev" down &&
                            banger_run ip link set dev "$banger_dev" address "$banger_mac" || return 1
                    fi
                fi
                banger_run ip link set dev "$banger_dev" up || return 1
                # A guest told a new address (one restored from a snapshot, or a second run) keeps none of its old ones.
                banger_run ip -4 address flush dev "$banger_dev" || return 1
                banger_run ip address replace "$banger_ip" dev "$banger_dev" || return 1
                if [ -n "$banger_gw" ]; then
                    banger_run ip route replace default via "$banger_gw" dev "$banger_dev" || return 1
                fi
                if [ -n "$banger_dns" ]; then
                    banger_write_resolv "$banger_dns" || return 1
                fi
                return 0
            }

            if [ "${BANGER_NET_LIB:-0}" != 1 ]; then
                banger_net_main
                exit $?
            fi
            """;

    private NicBootstrapScript() {}

    /** The script's full text. */
    public static String text() {
        return TEXT;
    }
}
