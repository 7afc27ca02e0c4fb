package dev.banger.vm.host;

import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.host.JoinedProcesses;
import dev.banger.host.LogTail;
import dev.banger.model.Share;
import dev.banger.vm.state.VmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running shares: one session per share of a running VM, {@code ssh} (sshfs in the guest)
 * joined to the confined SFTP server ({@link SharePlan}). {@link #attach} returns once the guest
 * reports the mount, or fails with the session's log; a session that ends while nobody detached
 * it is started again, at most {@value #RETRIES} times in a row with a growing pause, then left
 * down with an error in the log. Sessions are the daemon's children: they end with it, and its
 * next start attaches the running VMs' shares again. Thread-safe.
 */
public final class ShareSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShareSessions.class);
    static final int RETRIES = 3;
    public static final Duration ATTACH_DEADLINE = Duration.ofSeconds(30);
    static final String LOG_FILE = "shares.log";

    /** Starts a session's two programs (tests run the guest's command on the host instead of over ssh). */
    public interface Launcher {
        JoinedProcesses start(Command ssh, Command server, Path log, Consumer<String> sshStderr);
    }

    /** Where a share goes: the VM's address, directory and pinned host keys. */
    public record Target(String vm, String ip, Path vmDir, List<String> hostKeys) {}

    private record Key(String vm, String guestPath) {}
    private final class Session {
        final Target target;
        final Share share;
        volatile JoinedProcesses processes;
        volatile boolean detached;
        volatile int failures;

        Session(Target target, Share share) {
            this.target = target;
            this.share = share;
        }
    }
    private final HostCommands host;
    private volatile Launcher launcher;
    private final Map<Key, Session> sessions = new ConcurrentHashMap<>();
    private volatile Supplier<String> privateKey = () -> {
        throw VmException.precondition("no SSH key for shares: the daemon has no runtime bundle; run 'banger runtime bootstrap'");
    };
    private volatile List<String> sandboxFiles;
    private volatile Predicate<String> retryable = vm -> true;

    public ShareSessions(HostCommands host, Launcher launcher) {
        this.host = host;
        this.launcher = launcher;
    }

    /** How sessions are started from now on (tests: programs that stand in for ssh). */
    public void useLauncher(Launcher starter) {
        this.launcher = starter;
    }

    /** The private half of the runtime bundle's SSH key (the guest trusts its public half). */
    public void useKey(Supplier<String> key) {
        this.privateKey = key;
    }

    /** Which VMs a session that ended is started again for (those still running). */
    public void retryWhile(Predicate<String> vmRunning) {
        this.retryable = vmRunning;
    }

    /** Starts {@code share}'s session for the VM and waits (bounded) until the guest has it mounted. */
    public void attach(Target target, Share share) {
        Key key = new Key(target.vm(), share.guestPath());
        Session session = new Session(target, share);
        Optional.ofNullable(sessions.put(key, session)).ifPresent(ShareSessions::end);
        try {
            launch(session, ATTACH_DEADLINE);
        } catch (RuntimeException e) {
            sessions.remove(key, session);
            throw e;
        }
    }

    /** Ends the share's session: sshfs in the guest exits when its input ends, which unmounts it. */
    public void detach(String vm, String guestPath) {
        Session session = sessions.remove(new Key(vm, guestPath));
        if (session != null) {
            end(session);
        }
    }

    /** Ends every session of the VM (it stops or goes). */
    public void detachAll(String vm) {
        sessions.keySet().stream().filter(key -> key.vm().equals(vm)).toList().forEach(key -> detach(vm, key.guestPath()));
    }

    /** Whether the share has a live session. */
    public boolean attached(String vm, String guestPath) {
        Session session = sessions.get(new Key(vm, guestPath));
        return session != null && session.processes != null && session.processes.isAlive();
    }

    @Override
    public void close() {
        sessions.keySet().forEach(key -> detach(key.vm(), key.guestPath()));
    }

    private void launch(Session session, Duration deadline) {
        Target target = session.target;
        Share share = session.share;
        Path log = target.vmDir().resolve(LOG_FILE);
        Command ssh = SharePlan.ssh(keyFile(target.vmDir()), knownHosts(target), target.ip(), share);
        Command server = Command.of(serverArgv(target.vmDir(), share));
        CompletableFuture<Void> mounted = new CompletableFuture<>();
        appendLog(log, "--- " + share.spec() + ": starting");
        JoinedProcesses processes = launcher.start(ssh, server, log, line -> {
            if (line.strip().equals(SharePlan.MOUNTED)) {
                mounted.complete(null);
            }
        });
        session.processes = processes;
        try {
            CompletableFuture.anyOf(mounted, processes.ended()).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Reported below, with the log.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!mounted.isDone() || !processes.isAlive()) {
            processes.close();
            throw VmException.failed("VM '" + target.vm() + "': share " + share.spec() + " did not mount within "
                    + deadline.toSeconds() + " s (" + processes.exitSummary() + "): " + tail(log)
                    + "; check that the image has sshfs (rebuild it: 'banger image build') and see " + log);
        }
        LOG.info("VM {}: share {} mounted (ssh pid {}, sftp-server sandbox pid {})", target.vm(), share.spec(),
                processes.pids().get(0), processes.pids().get(1));
        processes.ended().thenRun(() -> lost(session, processes));
    }

    /** A session that ended on its own: started again (bounded), unless it was detached or replaced. */
    private void lost(Session session, JoinedProcesses processes) {
        Key key = new Key(session.target.vm(), session.share.guestPath());
        if (session.detached || sessions.get(key) != session || session.processes != processes) {
            return;
        }
        processes.close();
        Path log = session.target.vmDir().resolve(LOG_FILE);
        int failure = ++session.failures;
        if (!retryable.test(session.target.vm())) {
            sessions.remove(key, session);
            LOG.info("VM {}: share {} ended with the VM", session.target.vm(), session.share.spec());
            return;
        }
        if (failure > RETRIES) {
            sessions.remove(key, session);
            LOG.error("VM {}: share {} ended and did not come back after {} attempts ({}); attach it again with 'banger vm"
                    + " restart {}' or 'banger vm share'", session.target.vm(), session.share.spec(), RETRIES, tail(log),
                    session.target.vm());
            return;
        }
        LOG.warn("VM {}: share {} ended ({}); starting it again, attempt {} of {}", session.target.vm(), session.share.spec(),
                processes.exitSummary(), failure, RETRIES);
        Thread.ofVirtual().name("share-retry-" + session.target.vm()).start(() -> {
            try {
                Thread.sleep(Duration.ofSeconds(1L << (failure - 1))); // a pause before retrying, not a synchronisation
                if (!session.detached && sessions.get(key) == session) {
                    launch(session, ATTACH_DEADLINE);
                    session.failures = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("VM {}: share {}: {}", session.target.vm(), session.share.spec(), e.getMessage());
                if (session.processes != null) {
                    lost(session, session.processes);
                }
            }
        });
    }

    private static void end(Session session) {
        session.detached = true;
        if (session.processes != null) {
            session.processes.close(Duration.ofSeconds(3));
        }
    }

    private List<String> serverArgv(Path vmDir, Share share) {
        Path dir = Path.of(share.hostPath());
        if (!Files.isDirectory(dir)) {
            throw VmException.precondition("share " + share.spec() + ": the host directory " + dir + " is gone; make it again,"
                    + " or remove the share with 'banger vm unshare'");
        }
        try {
            int uid = (Integer) Files.getAttribute(dir, "unix:uid");
            int gid = (Integer) Files.getAttribute(dir, "unix:gid");
            Path passwd = vmDir.resolve("share-" + uid + "-" + gid + ".passwd");
            // Readable inside the sandbox by the dropped user; the VM directory (0700) keeps it from anyone else.
            write(passwd, SharePlan.passwd(uid, gid), "rw-r--r--");
            return SharePlan.serverArgv(dir, share.readOnly(), uid, gid, passwd, sandboxFiles());
        } catch (IOException e) {
            throw VmException.failed("share " + share.spec() + ": cannot prepare the SFTP server's sandbox: " + e.getMessage());
        }
    }

    /** The SFTP server, setpriv and their libraries, found once. */
    private List<String> sandboxFiles() {
        List<String> files = sandboxFiles;
        if (files == null) {
            for (String program : List.of("bwrap", SharePlan.SFTP_SERVER, SharePlan.SETPRIV)) {
                if (!host.available(program)) {
                    throw VmException.precondition("shares need " + program + ", which this host lacks: install bubblewrap and"
                            + " openssh-sftp-server ('make deps' does)");
                }
            }
            files = SharePlan.libraries(List.of(host.run("ldd", SharePlan.SFTP_SERVER).stdout(),
                    host.run("ldd", SharePlan.SETPRIV).stdout()));
            sandboxFiles = files;
        }
        return files;
    }

    private Path keyFile(Path vmDir) {
        Path key = vmDir.resolve("share_key");
        String text = privateKey.get();
        write(key, text.endsWith("\n") ? text : text + "\n", "rw-------");
        return key;
    }

    /** The VM's pinned host keys as {@code known_hosts} lines for its address (0600). */
    private static Path knownHosts(Target target) {
        if (target.hostKeys().isEmpty()) {
            throw VmException.precondition("VM '" + target.vm() + "' reported no SSH host keys, so none can be pinned for its"
                    + " shares; restart it with 'banger vm restart " + target.vm() + "'");
        }
        StringBuilder lines = new StringBuilder();
        for (String key : target.hostKeys()) {
            String[] parts = key.strip().split("\\s+");
            if (parts.length >= 2) {
                lines.append(target.ip()).append(' ').append(parts[0]).append(' ').append(parts[1]).append('\n');
            }
        }
        Path file = target.vmDir().resolve("share_known_hosts");
        write(file, lines.toString(), "rw-------");
        return file;
    }

    private static void write(Path file, String content, String mode) {
        try {
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(mode));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw VmException.failed("cannot write " + file + " for a share: " + e.getMessage());
        }
    }

    private static void appendLog(Path log, String line) {
        try {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.debug("cannot write {}: {}", log, e.toString());
        }
    }

    private static String tail(Path log) {
        try {
            return LogTail.read(log, 600).text().strip().replace('\n', ' ');
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
