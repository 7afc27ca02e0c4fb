package dev.banger.guestconfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The config drive: a small raw disk, serial {@value #SERIAL}, whose first line carries a guest's
 * {@code banger.*} words when its kernel command line could not, because the machine was started
 * (paused, from the warm pool) before the VM it would become was known. The guest's NIC bootstrap
 * reads the line after {@code /proc/cmdline}, so its words win. The encoding is
 * {@link KernelCommandLine#guestArgs} plus {@code banger.mac=MAC}, the NIC's address, which a pooled
 * machine's virtio NIC was given before the VM's address was allocated. An optional second line
 * carries the VM's SSH host key, so no guest makes its own and the daemon knows every VM's key.
 * Pure. Thread-safe.
 */
public final class ConfigDrive {
    /** The virtio-blk serial the guest finds the drive by ({@code /sys/block/vd*}{@code /serial}). */
    public static final String SERIAL = "banger-config";
    /** The drive's size: one sector would do, a page keeps it aligned for every block layer. */
    public static final int SIZE = 4096;

    /** The word of the drive's second line that carries the VM's SSH host key (the guest's {@code banger-host-keys} reads it). */
    public static final String HOST_KEY_WORD = "banger.host_key_ed25519";

    private static final String OPENSSH_PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private ConfigDrive() {}

    /**
     * The drive's whole content without a host key: one line of words, then zeros to {@link #SIZE}.
     *
     * @throws GuestConfigException for a MAC that is not six lower-case hex pairs, or a line longer than the drive
     */
    public static byte[] content(GuestConfig config, String mac) {
        return content(config, mac, null);
    }

    /**
     * The drive's whole content: the line of words, then, when {@code hostPrivateKey} is given, a
     * second line {@code banger.host_key_ed25519=<standard base64 of the key's text>} (the guest's
     * {@code banger-host-keys} makes it the VM's SSH host key at every boot), then zeros to
     * {@link #SIZE}. The key is on a line of its own so the NIC bootstrap, which reads the first,
     * never sees it.
     *
     * @param hostPrivateKey the VM's ed25519 host key as OpenSSH private-key text, or null for none
     * @throws GuestConfigException for a MAC that is not six lower-case hex pairs, a key that is not
     *                              OpenSSH private-key text, or lines longer than the drive
     */
    public static byte[] content(GuestConfig config, String mac, String hostPrivateKey) {
        if (!MAC.matcher(mac).matches()) {
            throw GuestConfigException.invalid("MAC '" + mac + "' is not six lower-case hex pairs separated by colons");
        }
        List<String> words = new ArrayList<>(KernelCommandLine.guestArgs(config));
        words.add("banger.mac=" + mac);
        return drive(String.join(" ", words), hostPrivateKey);
    }

    /**
     * A drive with no settings, only a host key: for a machine that is no VM yet (a golden snapshot's),
     * whose sshd needs a key, and whose guest leaves its network alone.
     */
    public static byte[] hostKeyOnly(String hostPrivateKey) {
        return unaddressed(List.of(), hostPrivateKey);
    }

    /**
     * A drive for a machine that is no VM yet (a golden snapshot's): its first line only the
     * {@code banger.mount=} words of {@code mounts}, in order (no name or address, so its guest leaves
     * its network alone, and mounts what every VM of its image mounts), then the host key its sshd needs.
     *
     * @throws GuestConfigException for a key that is not OpenSSH private-key text, or lines longer than the drive
     */
    public static byte[] unaddressed(List<GuestMount> mounts, String hostPrivateKey) {
        Objects.requireNonNull(hostPrivateKey, "hostPrivateKey");
        List<String> words = new ArrayList<>();
        for (GuestMount mount : mounts) {
            words.add(KernelCommandLine.MOUNT_KEY + "=" + mount.encoded());
        }
        return drive(String.join(" ", words), hostPrivateKey);
    }

    private static byte[] drive(String firstLine, String hostPrivateKey) {
        StringBuilder text = new StringBuilder(firstLine).append('\n');
        if (hostPrivateKey != null) {
            if (!hostPrivateKey.strip().startsWith(OPENSSH_PRIVATE_KEY)) {
                throw GuestConfigException.invalid("the host key for the config drive is not OpenSSH private-key text (expected '"
                        + OPENSSH_PRIVATE_KEY + "'); pass the private key file's content");
            }
            text.append(HOST_KEY_WORD).append('=')
                    .append(Base64.getEncoder().encodeToString(hostPrivateKey.getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        byte[] lines = text.toString().getBytes(StandardCharsets.UTF_8);
        if (lines.length > SIZE) {
            throw GuestConfigException.invalid("the guest config takes " + lines.length + " bytes, more than the config drive's "
                    + SIZE + "; too many mounts");
        }
        byte[] drive = new byte[SIZE];
        System.arraycopy(lines, 0, drive, 0, lines.length);
        return drive;
    }
}
