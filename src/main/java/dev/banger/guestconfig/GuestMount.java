package dev.banger.guestconfig;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One filesystem the guest mounts at boot, e.g. the work disk {@code LABEL=banger-work} on
 * {@code /root} as ext4, or a host directory the host attaches over SSH ({@code banger-share} on
 * {@code /mnt/src} as {@code fuse.sshfs}, options {@code ro} or {@code rw}: the guest only makes its
 * mount point). Every part travels on the kernel command line and the config drive
 * ({@code banger.mount=DEV:MOUNTPOINT:FSTYPE:OPTS}, see {@link KernelCommandLine}), so none may contain
 * spaces, quotes or {@code :}; the guest's {@code banger-mounts} checks the same shapes. Immutable.
 *
 * @param device     {@code /dev/...}, {@code UUID=...}, {@code LABEL=...}, or a bare tag (virtiofs, 9p,
 *                   {@code banger-share})
 * @param mountPoint absolute, not {@code /} (that is the root disk), no {@code .} or {@code ..} segments
 * @param fsType     as for {@code mount -t}: {@code ext4}, {@code xfs}, {@code virtiofs}…
 * @param options    as for {@code mount -o}, at least one ({@code defaults})
 */
public record GuestMount(String device, String mountPoint, String fsType, List<String> options) {
    private static final Pattern DEVICE = Pattern.compile("/dev(/[A-Za-z0-9_.+-]+)+|UUID=[A-Fa-f0-9-]+|LABEL=[A-Za-z0-9_.-]+|[A-Za-z0-9_.-]+");
    private static final Pattern MOUNT_POINT = Pattern.compile("(/[A-Za-z0-9_.+-]+)+");
    private static final Pattern FS_TYPE = Pattern.compile("[a-z0-9][a-z0-9._]*");
    private static final Pattern OPTION = Pattern.compile("[A-Za-z0-9_.+/=-]+");
    private static final int MAX_PART = 255;

    /** @throws GuestConfigException quoting the bad part and saying what is allowed */
    public GuestMount {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(fsType, "fsType");
        options = List.copyOf(options);
        if (!DEVICE.matcher(device).matches() || device.length() > MAX_PART || hasDotSegment(device)) {
            throw GuestConfigException.invalid("mount device \"" + device + "\" must be /dev/NAME, UUID=..., LABEL=... or a tag"
                    + " of letters, digits, '_', '.', '-' (no spaces, ':' or '..')");
        }
        if (!MOUNT_POINT.matcher(mountPoint).matches() || mountPoint.length() > MAX_PART || hasDotSegment(mountPoint)) {
            throw GuestConfigException.invalid("mount point \"" + mountPoint + "\" must be an absolute path other than /,"
                    + " of letters, digits, '_', '.', '+', '-' (no spaces, ':', '//', trailing '/', '.' or '..' segments)");
        }
        if (!FS_TYPE.matcher(fsType).matches() || fsType.length() > 64) {
            throw GuestConfigException.invalid("filesystem type \"" + fsType + "\" for " + mountPoint + " is not a mount -t type (e.g. ext4)");
        }
        if (options.isEmpty()) {
            throw GuestConfigException.invalid("mount of " + mountPoint + " needs at least one option (e.g. defaults)");
        }
        for (String option : options) {
            if (!OPTION.matcher(option).matches() || option.length() > MAX_PART) {
                throw GuestConfigException.invalid("mount option \"" + option + "\" for " + mountPoint
                        + " must be letters, digits, '_', '.', '+', '/', '=', '-' (no spaces, ',' or ':')");
            }
        }
    }

    /** A mount with the single option {@code defaults}. */
    public static GuestMount withDefaults(String device, String mountPoint, String fsType) {
        return new GuestMount(device, mountPoint, fsType, List.of("defaults"));
    }

    /** {@code DEV:MOUNTPOINT:FSTYPE:OPT[,OPT...]}, the value of one {@code banger.mount=} argument. */
    public String encoded() {
        return device + ":" + mountPoint + ":" + fsType + ":" + String.join(",", options);
    }

    /** How many path segments deep the mount point is; parents are mounted before their children. */
    int depth() {
        return (int) mountPoint.chars().filter(c -> c == '/').count();
    }

    @Override
    public String toString() {
        return device + " on " + mountPoint + " (" + fsType + ", " + String.join(",", options) + ")";
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
