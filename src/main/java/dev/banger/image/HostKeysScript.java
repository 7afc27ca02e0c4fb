package dev.banger.image;

/**
 * The guest's SSH host key at boot: a POSIX sh script that Debian's
 * {@code banger-ssh-hostkeys.service} and Void's stage-1 hook run before sshd starts. When the
 * config drive ({@code guestconfig.ConfigDrive}) has a second line
 * {@code banger.host_key_ed25519=<base64 of an OpenSSH private key>}, that key becomes
 * {@code /etc/ssh/ssh_host_ed25519_key} (0600, its {@code .pub} derived with {@code ssh-keygen -y})
 * at every boot, and the RSA and ECDSA keys go: the daemon made the key and knows it, so a VM's SSH
 * identity follows its drive and no guest spends boot time making keys. Without such a line it
 * makes an ed25519 key only when there is none (the only key sshd is told to load), as images
 * without a keyed drive always did. For tests: {@code BANGER_CONFIG_DRIVE} names the drive (empty:
 * none) and {@code BANGER_SSH_DIR} replaces {@code /etc/ssh}. Stateless and thread-safe.
 */
public final class HostKeysScript {
    /** Where the script is installed in the guest. */
    public static final String PATH = "/usr/local/sbin/banger-host-keys";
    /** The word on the config drive's second line that carries the key. */
    public static final String DRIVE_WORD = "banger.host_key_ed25519";

    private static final String TEXT = """
            #!/bin/sh
            # banger SSH host key: this VM's key from its config drive (line 2), else one made here once.
            set -u
            umask 077
            PATH=${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            export PATH

            banger_ssh_dir=${BANGER_SSH_DIR:-/etc/ssh}
            banger_key=$banger_ssh_dir/ssh_host_ed25519_key

            banger_fail() {
                echo "banger-host-keys: $*" >&2
                exit 1
            }

            """ + NicBootstrapScript.FIND_CONFIG_DRIVE + """
            banger_config_drive=${BANGER_CONFIG_DRIVE-$(banger_find_config_drive)}

            # The drive's second line; the first is the NIC bootstrap's words.
            banger_drive_key=
            if [ -n "$banger_config_drive" ] && [ -r "$banger_config_drive" ]; then
                banger_line1=
                banger_line2=
                { read -r banger_line1 && read -r banger_line2; } < "$banger_config_drive" || true
                case $banger_line2 in
                    @WORD@=?*) banger_drive_key=${banger_line2#@WORD@=} ;;
                esac
            fi

            if [ -n "$banger_drive_key" ]; then
                banger_tmp=$banger_key.banger-tmp
                rm -f "$banger_tmp" "$banger_tmp.pub"
                printf '%s' "$banger_drive_key" | base64 -d > "$banger_tmp" 2>/dev/null ||
                    { rm -f "$banger_tmp"; banger_fail "the config drive's @WORD@ is not base64"; }
                # ssh-keygen reads only a private key it alone can read: umask 077 made it 0600.
                if ! ssh-keygen -y -f "$banger_tmp" > "$banger_tmp.pub"; then
                    rm -f "$banger_tmp" "$banger_tmp.pub"
                    banger_fail "the config drive's @WORD@ is not an OpenSSH private key"
                fi
                read -r banger_type banger_rest < "$banger_tmp.pub" || true
                if [ "$banger_type" != ssh-ed25519 ]; then
                    rm -f "$banger_tmp" "$banger_tmp.pub"
                    banger_fail "the config drive's @WORD@ is a $banger_type key, not ed25519"
                fi
                chmod 0644 "$banger_tmp.pub" &&
                    mv -f "$banger_tmp" "$banger_key" &&
                    mv -f "$banger_tmp.pub" "$banger_key.pub" ||
                    banger_fail "cannot install the host key in $banger_ssh_dir"
                # sshd loads only the ed25519 key; keys it would not offer are no part of this VM's identity.
                rm -f "$banger_ssh_dir/ssh_host_rsa_key" "$banger_ssh_dir/ssh_host_rsa_key.pub" \\
                    "$banger_ssh_dir/ssh_host_ecdsa_key" "$banger_ssh_dir/ssh_host_ecdsa_key.pub"
                exit 0
            fi

            if [ ! -s "$banger_key" ] || [ ! -s "$banger_key.pub" ]; then
                rm -f "$banger_key" "$banger_key.pub"
                ssh-keygen -q -t ed25519 -N '' -C "root@banger" -f "$banger_key" < /dev/null ||
                    banger_fail "ssh-keygen could not make a host key in $banger_ssh_dir"
            fi
            exit 0
            """.replace("@WORD@", DRIVE_WORD);

    private HostKeysScript() {}

    /** The script's full text. */
    public static String text() {
        return TEXT;
    }
}
