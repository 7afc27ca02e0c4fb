package dev.banger.vmm.firecracker;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Plans how a Firecracker process is launched and recognises one from its command line. The
 * launch argv starts with {@code setsid} (without {@code --fork}): our child is never a process
 * group leader, so {@code setsid} calls setsid(2) and execs in place, and the pid we get from
 * the JDK is Firecracker's own, leading its own session. Pure and thread-safe.
 */
public final class FirecrackerCommandLine {
    /** Firecracker's (and the jailer's) rule for instance ids. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    /** Where the API socket lives inside a jail's root. */
    static final String JAILED_API_SOCKET = "/firecracker.sock";

    private FirecrackerCommandLine() {
    }

    /** {@code setsid FIRECRACKER --api-sock <vmDir>/firecracker.sock --id NAME}. */
    public static List<String> direct(Path setsid, Path firecracker, String name, FirecrackerLayout layout) {
        requireInstanceId(name);
        return List.of(setsid.toString(), firecracker.toString(),
                "--api-sock", layout.apiSocket().toString(), "--id", name);
    }

    /**
     * A jailed launch: {@code setsid JAILER --id NAME --exec-file FIRECRACKER --uid 0 --gid 0
     * --chroot-base-dir <vmDir>/jail -- --api-sock /firecracker.sock}. The jailer execs
     * Firecracker in place (no {@code --daemonize}), so the pid stays Firecracker's.
     */
    public static JailedLaunch jailed(Path setsid, Path jailer, Path firecracker, String name, FirecrackerLayout layout) {
        requireInstanceId(name);
        Path chrootBase = layout.vmDir().resolve("jail");
        // The jailer builds its chroot at <base>/<exec file name>/<id>/root.
        Path chrootRoot = chrootBase.resolve(firecracker.getFileName().toString()).resolve(name).resolve("root");
        List<String> argv = List.of(setsid.toString(), jailer.toString(),
                "--id", name,
                "--exec-file", firecracker.toString(),
                "--uid", "0",
                "--gid", "0",
                "--chroot-base-dir", chrootBase.toString(),
                "--",
                "--api-sock", JAILED_API_SOCKET);
        return new JailedLaunch(argv, chrootRoot, chrootRoot.resolve(JAILED_API_SOCKET.substring(1)));
    }

    /**
     * Whether a process command line ({@code /proc/PID/cmdline}, split at NULs) is the Firecracker
     * launched by {@link #direct} for {@code layout}: it names our API socket after
     * {@code --api-sock}, and an argument before that is a program whose file name mentions
     * firecracker. Guards against signalling a recycled pid.
     */
    public static boolean isFirecrackerFor(List<String> cmdline, FirecrackerLayout layout) {
        int flag = cmdline.indexOf("--api-sock");
        if (flag < 1 || flag + 1 >= cmdline.size()) {
            return false;
        }
        if (!cmdline.get(flag + 1).equals(layout.apiSocket().toString())) {
            return false;
        }
        for (String arg : cmdline.subList(0, flag)) {
            Path file = Path.of(arg).getFileName();
            if (file != null && file.toString().contains("firecracker")) {
                return true;
            }
        }
        return false;
    }

    private static void requireInstanceId(String name) {
        Objects.requireNonNull(name, "name");
        if (!INSTANCE_ID.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a Firecracker instance id (1-64 letters, digits or '-')");
        }
    }

    /**
     * A planned jailer launch.
     *
     * @param argv            the command line
     * @param chrootRoot      the jail's root directory on the host: kernel and disks must be linked in here
     * @param apiSocketOnHost where the API socket appears on the host
     */
    public record JailedLaunch(List<String> argv, Path chrootRoot, Path apiSocketOnHost) {
        public JailedLaunch {
            argv = List.copyOf(argv);
        }
    }
}
