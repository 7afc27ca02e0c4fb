package dev.banger.guestconfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The config drive: a small raw disk, serial {@value #SERIAL}, whose first line carries a guest's
 * {@code banger.*} words when its kernel command line could not, because the machine was started
 * (paused, from the warm pool) before the VM it would become was known. The guest's NIC bootstrap
 * reads the line after {@code /proc/cmdline}, so its words win. The encoding is
 * {@link KernelCommandLine#guestArgs} plus {@code banger.mac=MAC}, the NIC's address, which a pooled
 * machine's virtio NIC was given before the VM's address was allocated. Pure. Thread-safe.
 */
public final class ConfigDrive {
    /** The virtio-blk serial the guest finds the drive by ({@code /sys/block/vd*}{@code /serial}). */
    public static final String SERIAL = "banger-config";
    /** The drive's size: one sector would do, a page keeps it aligned for every block layer. */
    public static final int SIZE = 4096;

    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    private ConfigDrive() {}

    /**
     * The drive's whole content: one line of words, then zeros to {@link #SIZE}.
     *
     * @throws GuestConfigException for a MAC that is not six lower-case hex pairs, or a line longer than the drive
     */
    public static byte[] content(GuestConfig config, String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw GuestConfigException.invalid("MAC '" + mac + "' is not six lower-case hex pairs separated by colons");
        }
        List<String> words = new ArrayList<>(KernelCommandLine.guestArgs(config));
        words.add("banger.mac=" + mac);
        byte[] line = (String.join(" ", words) + "\n").getBytes(StandardCharsets.UTF_8);
        if (line.length > SIZE) {
            throw GuestConfigException.invalid("the guest config takes " + line.length + " bytes, more than the config drive's "
                    + SIZE + "; too many mounts");
        }
        byte[] drive = new byte[SIZE];
        System.arraycopy(line, 0, drive, 0, line.length);
        return drive;
    }
}
