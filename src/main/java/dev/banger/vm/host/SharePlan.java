package dev.banger.vm.host;

import dev.banger.host.Command;
import dev.banger.model.Share;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The argument lists of one share's session (pure; {@link ShareSessions} runs them). The guest side
 * is {@code ssh} running sshfs in passive mode (SFTP over the SSH session's stdin and stdout) on
 * the share's mount point; the host side is {@code sftp-server} in a bubblewrap sandbox whose root
 * holds the share at {@value #SANDBOX_SHARE}, the two programs it runs and their libraries (as
 * {@code ldd} lists them), a one-line {@code passwd} and bubblewrap's own minimal {@code /dev}:
 * nothing else of the host. sftp-server runs as the share directory's owner ({@code setpriv}), so
 * the guest reads and writes as that user would and new files belong to them. Stateless.
 */
public final class SharePlan {
    /** Where the share sits inside the sandbox; also the path sshfs asks the server for. */
    public static final String SANDBOX_SHARE = "/share";
    public static final String SFTP_SERVER = "/usr/lib/openssh/sftp-server";
    public static final String SETPRIV = "/usr/bin/setpriv";
    /** What the guest's watcher prints on stderr once the mount is in its mount table. */
    public static final String MOUNTED = "banger-share-mounted";
    /** How long the guest's watcher looks for the mount (in 0.1 s steps) before giving up silently. */
    static final int WATCH_STEPS = 300;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s+)?(/\\S+)\\s+\\(0x[0-9a-f]+\\)");

    private SharePlan() {}

    /**
     * What the guest runs: a stale mount left by an earlier session (a daemon that was killed)
     * lazily unmounted, the mount point made, a watcher that reports {@value #MOUNTED} once the
     * mount appears in {@code /proc/self/mounts} (no stat, which would wait on sshfs), then sshfs
     * in the foreground on the session's stdin and stdout, without its directory cache, so the
     * guest sees the host's edits within the kernel's one-second attribute cache. The path is one of {@link ShareRules}'
     * characters, quoted anyway.
     */
    public static String guestCommand(Share share) {
        String path = share.guestPath();
        String quoted = "'" + path + "'";
        // dir_cache=no: sshfs's own cache would hide the host's changes for 20 s; the kernel's 1 s remains.
        String options = "passive,allow_other,dir_cache=no" + (share.readOnly() ? ",ro" : "");
        return "fusermount3 -uz " + quoted + " 2>/dev/null || umount -l " + quoted + " 2>/dev/null; "
                + "mkdir -p -- " + quoted + " && { "
                + "(i=0; while [ $i -lt " + WATCH_STEPS + " ]; do "
                + "if grep -qF ' " + path + " fuse.sshfs ' /proc/self/mounts; then echo " + MOUNTED + " >&2; exit 0; fi; "
                + "sleep 0.1; i=$((i+1)); done) </dev/null >/dev/null & "
                + "exec sshfs -f -o " + options + " banger:" + SANDBOX_SHARE + " " + quoted + "; }";
    }

    /**
     * {@code ssh} to the guest as root with the bundle's key and only the VM's pinned host key
     * ({@code StrictHostKeyChecking=yes}, no user or system config, no agent, no escape character:
     * the channel carries binary SFTP), failing fast when the guest does not answer and noticing a
     * guest that went away ({@code ServerAliveInterval}).
     */
    public static List<String> sshArgv(Path key, Path knownHosts, String ip, String remoteCommand) {
        return List.of("ssh", "-F", "/dev/null", "-T", "-a", "-x", "-e", "none",
                "-i", key.toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=" + CONNECT_TIMEOUT.toSeconds(),
                "-o", "ServerAliveInterval=15",
                "-o", "ServerAliveCountMax=4",
                "-o", "LogLevel=ERROR",
                "--", "root@" + ip, remoteCommand);
    }

    /**
     * The host side: bubblewrap as root builds a root of its own (every namespace new but the
     * user's: see docs/shares.md), binds the share read-write, or read-only for {@code :ro}, and
     * the listed files read-only; {@code setpriv} then drops to {@code uid}/{@code gid} and runs
     * sftp-server in the share ({@code -R}: read-only mode, for {@code :ro}).
     *
     * @param files the programs and their libraries, as {@link #libraries} found them
     */
    public static List<String> serverArgv(Path hostDir, boolean readOnly, int uid, int gid, Path passwd, List<String> files) {
        List<String> argv = new ArrayList<>(List.of("bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv"));
        // Directories bwrap makes for a bind's parents are 0700; the dropped user must traverse them.
        for (String dir : parents(files)) {
            argv.addAll(List.of("--perms", "0755", "--dir", dir));
        }
        for (String file : files) {
            argv.addAll(List.of("--ro-bind", file, file));
        }
        argv.addAll(List.of("--perms", "0755", "--dir", "/etc", "--ro-bind", passwd.toString(), "/etc/passwd", "--dev", "/dev",
                readOnly ? "--ro-bind" : "--bind", hostDir.toString(), SANDBOX_SHARE, "--chdir", SANDBOX_SHARE,
                SETPRIV, "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--", SFTP_SERVER, "-d", SANDBOX_SHARE));
        if (readOnly) {
            argv.add("-R");
        }
        return argv;
    }

    /** The sandbox's {@code /etc/passwd}: sftp-server looks its own user up and stops without one. */
    public static String passwd(int uid, int gid) {
        return "banger-share:x:" + uid + ":" + gid + "::" + SANDBOX_SHARE + ":/nonexistent\n";
    }

    /** The two programs and the absolute paths {@code ldd} lists for them (the loader included). */
    public static List<String> libraries(List<String> lddOutputs) {
        Set<String> files = new TreeSet<>(List.of(SFTP_SERVER, SETPRIV));
        for (String output : lddOutputs) {
            for (String line : output.split("\n")) {
                Matcher m = LDD_PATH.matcher(line.strip());
                if (m.find()) {
                    files.add(m.group(1));
                }
            }
        }
        return List.copyOf(files);
    }

    /** The session's two commands. */
    public static Command ssh(Path key, Path knownHosts, String ip, Share share) {
        return Command.of(sshArgv(key, knownHosts, ip, guestCommand(share)));
    }

    private static Set<String> parents(List<String> files) {
        Set<String> dirs = new TreeSet<>(); // sorted: a parent before its children
        for (String file : files) {
            Path parent = Path.of(file).getParent();
            while (parent != null && parent.getParent() != null) {
                dirs.add(parent.toString());
                parent = parent.getParent();
            }
        }
        return dirs;
    }
}
