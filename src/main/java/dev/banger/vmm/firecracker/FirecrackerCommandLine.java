package dev.banger.vmm.firecracker;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Plans how a Firecracker process is launched and recognises one from its command line. The
 * launch argv starts with {@code setsid} (without {@code --fork}): our child is never a process
 * group leader, so {@code setsid} calls setsid(2) and execs in place, and the pid we get from
 * the JDK is Firecracker's own, leading its own session; the same holds through the jailer,
 * which execs Firecracker in place. Pure and thread-safe.
 */
public final class FirecrackerCommandLine {
    /** Firecracker's (and the jailer's) rule for instance ids. */
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

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
     * Firecracker in place (no {@code --daemonize}, no {@code --new-pid-ns}), so the pid stays
     * Firecracker's; no {@code --cgroup}, so it creates no cgroup directory.
     *
     * @throws IllegalArgumentException when {@code firecracker}'s file name is not the one the jail is named after
     */
    public static List<String> jailed(Path setsid, Path jailer, Path firecracker, JailLayout jail) {
        Path fileName = firecracker.getFileName();
        if (fileName == null || !fileName.toString().equals(jail.execFileName())) {
            throw new IllegalArgumentException("the jail " + jail.root() + " is not named after " + firecracker);
        }
        return List.of(setsid.toString(), jailer.toString(),
                "--id", jail.id(),
                "--exec-file", firecracker.toString(),
                "--uid", "0",
                "--gid", "0",
                "--chroot-base-dir", jail.chrootBase().toString(),
                "--",
                "--api-sock", JailLayout.API_SOCKET_IN_JAIL);
    }

    /**
     * The instance id of a jailed Firecracker, when a process command line is one: after the
     * jailer execs, the command line is Firecracker's own ({@code /firecracker --id NAME
     * --start-time-us … --api-sock /firecracker.sock}), whatever its program is called.
     * {@code --id} (or {@code --id=NAME}) is the instance. The jailer itself, before it execs, is
     * not matched (it still carries {@code --exec-file}). Only the command line is checked: the
     * caller must still find the jail that is the process's root, since another banger's jailed
     * machine of the same name looks the same.
     */
    public static Optional<String> jailedInstanceId(List<String> cmdline) {
        if (!namesApiSocket(cmdline, JailLayout.API_SOCKET_IN_JAIL) || cmdline.contains("--exec-file")) {
            return Optional.empty();
        }
        return instanceId(cmdline).filter(id -> INSTANCE_ID.matcher(id).matches());
    }

    private static Optional<String> instanceId(List<String> cmdline) {
        for (int i = 0; i < cmdline.size(); i++) {
            String arg = cmdline.get(i);
            if (arg.equals("--id") && i + 1 < cmdline.size()) {
                return Optional.of(cmdline.get(i + 1));
            }
            if (arg.startsWith("--id=")) {
                return Optional.of(arg.substring("--id=".length()));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a process command line ({@code /proc/PID/cmdline}, split at NULs) is the Firecracker
     * launched by {@link #direct} for {@code layout}: it names our API socket after
     * {@code --api-sock}. The program's name is not looked at ({@code [firecracker] binary} may be
     * called anything); a recycled pid is told apart by its start time, which the caller checks.
     */
    public static boolean servesApiSocket(List<String> cmdline, FirecrackerLayout layout) {
        return namesApiSocket(cmdline, layout.apiSocket().toString());
    }

    /** Whether {@code --api-sock} is followed by {@code socket} somewhere after the program. */
    private static boolean namesApiSocket(List<String> cmdline, String socket) {
        for (int i = 1; i + 1 < cmdline.size(); i++) {
            if (cmdline.get(i).equals("--api-sock") && cmdline.get(i + 1).equals(socket)) {
                return true;
            }
        }
        return false;
    }

    static void requireInstanceId(String name) {
        Objects.requireNonNull(name, "name");
        if (!INSTANCE_ID.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a Firecracker instance id (1-64 letters, digits or '-')");
        }
    }
}
