package dev.banger.vm.state;

import dev.banger.model.Share;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a share meets before anything happens: the host directory absolute, existing, not
 * {@code /}, and neither inside the daemon's state directory nor above it (the guest would see
 * every VM's disks and keys), kept by its canonical path so a symlink changed later cannot
 * redirect it; the guest path absolute, plain ({@code [A-Za-z0-9._+-]} segments, no {@code .} or
 * {@code ..}), not a system directory, not {@code /root} (the work disk) and apart from the VM's
 * other shares. Stateless.
 */
public final class ShareRules {
    private static final Pattern GUEST_PATH = Pattern.compile("(/[A-Za-z0-9._+-]+)+");
    private static final int MAX_GUEST_PATH = 200;
    /** Mount points that would hide what the guest needs to run (or the work disk, /root). */
    private static final Set<String> SYSTEM = Set.of("/root", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/run",
            "/sbin", "/sys", "/tmp", "/usr", "/var");
    private static final List<String> UNDER_SYSTEM = List.of("/proc/", "/sys/", "/dev/", "/run/");

    private ShareRules() {}

    /**
     * {@code asked} with its host path made canonical, once every rule is met.
     *
     * @param stateDir the daemon's state directory
     * @param others   the VM's shares so far
     * @throws VmException invalid-argument, naming the part and the rule
     */
    public static Share check(Share asked, Path stateDir, List<Share> others) {
        requireGuestPath(asked.guestPath());
        for (Share other : others) {
            if (nested(other.guestPath(), asked.guestPath())) {
                throw VmException.invalid("guest path " + asked.guestPath() + " " + (other.guestPath().equals(asked.guestPath())
                        ? "is already" : "overlaps") + " the share at " + other.guestPath() + " (" + other.hostPath()
                        + "); choose another guest path, or remove that share first with 'banger vm unshare'");
            }
        }
        return new Share(canonicalHostDir(asked.hostPath(), stateDir).toString(), asked.guestPath(), asked.readOnly());
    }

    public static void requireGuestPath(String path) {
        if (path == null || !GUEST_PATH.matcher(path).matches() || path.length() > MAX_GUEST_PATH) {
            throw VmException.invalid("guest path '" + path + "' must be an absolute path of letters, digits, '.', '_', '+', '-'"
                    + " segments (no spaces, quotes, ':', '//' or trailing '/'), at most " + MAX_GUEST_PATH + " characters");
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw VmException.invalid("guest path '" + path + "' must not contain '.' or '..' segments");
            }
        }
        if (SYSTEM.contains(path) || UNDER_SYSTEM.stream().anyMatch(path::startsWith)) {
            throw VmException.invalid("guest path '" + path + "' is a system directory of the guest (or its work disk, /root);"
                    + " mount the share elsewhere, e.g. /mnt/NAME or /root/NAME");
        }
    }

    /** The host directory's canonical path; every symlink on the way resolved now. */
    static Path canonicalHostDir(String hostPath, Path stateDir) {
        Path asked = Path.of(hostPath);
        if (!asked.isAbsolute()) {
            throw VmException.invalid("host path '" + hostPath + "' must be absolute (the CLI makes a relative one absolute)");
        }
        Path real;
        try {
            real = asked.toRealPath();
        } catch (IOException e) {
            throw VmException.invalid("host path '" + hostPath + "' does not exist or cannot be read: " + e.getMessage());
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw VmException.invalid("host path '" + hostPath + "' is not a directory; share the directory that holds it");
        }
        if (real.getParent() == null) {
            throw VmException.invalid("host path '" + hostPath + "' is the host's root directory; share a directory below it");
        }
        Path state = realOrSelf(stateDir);
        if (real.startsWith(state) || state.startsWith(real)) {
            throw VmException.invalid("host path '" + hostPath + "' (" + real + ") " + (real.startsWith(state) ? "is inside" : "holds")
                    + " banger's state directory " + state + ", where every VM's disks and keys are; share another directory");
        }
        return real;
    }

    private static Path realOrSelf(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    /** Whether one path is the other or lies below it. */
    private static boolean nested(String a, String b) {
        return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }
}
