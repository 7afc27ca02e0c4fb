package dev.banger.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerPaths;
import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.DaemonStatus;
import dev.banger.rpc.DaemonUnavailableException;
import dev.banger.rpc.RpcClient;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("root")
class DaemonProcessTest {
    @TempDir
    Path dir;

    private BangerSandbox sandbox;
    private final ProcessHostCommands host = new ProcessHostCommands();
    private final String group = "bgt-sock-" + ProcessHandle.current().pid() % 100000;

    @BeforeEach
    void setUp() throws IOException {
        sandbox = new BangerSandbox(dir);
        host.run("groupadd", group);
        sandbox.writeConfig("[daemon]\ngroup = \"" + group + "\"\n");
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
        host.exec(Command.of("groupdel", group));
    }

    private RpcClient awaitSocket(Process daemon) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return RpcClient.connect(sandbox.paths().socket());
            } catch (DaemonUnavailableException notYet) {
                assertThat(System.nanoTime()).as("socket within 30 s").isLessThan(deadline);
                // Waits on the daemon's exit for a moment: returns early, and fails, if it died.
                boolean exited = daemon.waitFor(20, TimeUnit.MILLISECONDS);
                assertThat(exited).as("daemon exited before opening its socket").isFalse();
            }
        }
    }

    /**
     * {@link #awaitSocket} and a status call, again until one answers: right after a daemon was
     * killed, a connect can still land on its listening socket, held for a moment by a child it was
     * spawning (until that child execs), and then break.
     */
    private DaemonStatus awaitStatus(Process daemon) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (RpcClient client = awaitSocket(daemon)) {
                return client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(10));
            } catch (DaemonUnavailableException brokenByTheDyingListener) {
                assertThat(System.nanoTime()).as("an answer within 30 s: " + brokenByTheDyingListener.getMessage())
                        .isLessThan(deadline);
            }
        }
    }

    /** A daemon whose output goes to {@code log}, with this sandbox's environment and {@code overrides}. */
    private Process startLogged(Path log, Map<String, String> overrides) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(dir.resolve("bin/bangerd").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(sandbox.env());
        builder.environment().putAll(overrides);
        return builder.start();
    }

    /** Something else bound at the daemon's socket: takes the daemon's first connection and returns its request line. */
    private static String takeProbe(ServerSocketChannel listener, SocketChannel[] taken, Process daemon) throws Exception {
        listener.configureBlocking(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        SocketChannel probe;
        while ((probe = listener.accept()) == null) {
            assertThat(System.nanoTime()).as("the daemon's probe within 30 s").isLessThan(deadline);
            assertThat(daemon.waitFor(20, TimeUnit.MILLISECONDS)).as("daemon exited before probing the socket").isFalse();
        }
        taken[0] = probe;
        StringBuilder line = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(1);
        while (line.indexOf("\n") < 0 && probe.read(buffer.clear()) > 0) {
            line.append((char) buffer.get(0));
        }
        return line.toString();
    }

    @Test
    void servesStatusOnARestrictedSocketAndStopsGracefullyOnSigterm() throws Exception {
        Process daemon = sandbox.startDaemon();
        try (RpcClient client = awaitSocket(daemon)) {
            DaemonStatus status = client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(10));
            assertThat(status.pid()).isEqualTo(daemon.pid());
            assertThat(status.socket()).isEqualTo(sandbox.paths().socket().toString());
            assertThat(status.stateDir()).isEqualTo(sandbox.paths().stateDir().toString());
            assertThat(status.schemaVersion()).isPositive();
        }
        PosixFileAttributes socket = Files.readAttributes(sandbox.paths().socket(), PosixFileAttributes.class);
        assertThat(PosixFilePermissions.toString(socket.permissions())).isEqualTo("rw-rw----");
        assertThat(socket.group().getName()).isEqualTo(group);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sandbox.paths().stateDir()))).isEqualTo("rwx------");

        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sandbox.paths().socket()).doesNotExist();

        // The lock was released: a successor starts on the same state dir.
        Process successor = sandbox.startDaemon();
        try (RpcClient client = awaitSocket(successor)) {
            assertThat(client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(10)).pid()).isEqualTo(successor.pid());
        }
    }

    @Test
    void secondDaemonOnTheSameStateDirRefusesAndNamesTheHoldersPid() throws Exception {
        Process first = sandbox.startDaemon();
        awaitSocket(first).close();
        Path log = dir.resolve("second.log");
        Process second = startLogged(log, Map.of());
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isNotZero();
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("pid " + first.pid());
        assertThat(first.isAlive()).isTrue();
        try (RpcClient client = RpcClient.connect(sandbox.paths().socket())) {
            assertThat(client.call("daemon.status", null, DaemonStatus.class, Duration.ofSeconds(10)).pid()).isEqualTo(first.pid());
        }
    }

    @Test
    void staleSocketFromACrashedDaemonIsReplaced() throws Exception {
        Process crashed = sandbox.startDaemon();
        awaitSocket(crashed).close();
        crashed.destroyForcibly(); // SIGKILL leaves the socket file behind
        assertThat(crashed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sandbox.paths().socket()).exists();

        Process next = sandbox.startDaemon();
        assertThat(awaitStatus(next).pid()).isEqualTo(next.pid());
    }

    @Test
    void aListenerThatTakesTheProbeAndHangsUpUnansweredIsStaleAndReplaced() throws Exception {
        // What a killed daemon leaves while a child it was spawning still holds its listening socket.
        Path socket = sandbox.paths().socket();
        Files.createDirectories(socket.getParent());
        SocketChannel[] probe = new SocketChannel[1];
        try (ServerSocketChannel lingering = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            lingering.bind(UnixDomainSocketAddress.of(socket));
            Process next = sandbox.startDaemon();
            assertThat(takeProbe(lingering, probe, next)).contains("\"daemon.status\"");
            probe[0].close();

            assertThat(awaitStatus(next).pid()).isEqualTo(next.pid());
        }
        assertThat(Files.readString(sandbox.daemonLog())).contains("removed stale socket " + socket);
    }

    @Test
    void aSocketWhoseHolderTakesTheProbeButNeverAnswersIsLeftAlone() throws Exception {
        Path socket = sandbox.paths().socket();
        Files.createDirectories(socket.getParent());
        Path log = dir.resolve("refused.log");
        SocketChannel[] probe = new SocketChannel[1];
        try (ServerSocketChannel holder = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            holder.bind(UnixDomainSocketAddress.of(socket));
            Process daemon = startLogged(log, Map.of());
            assertThat(takeProbe(holder, probe, daemon)).contains("\"daemon.status\"");

            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isNotZero();
            assertThat(Files.readString(log)).contains("cannot serve " + socket + ": something holds it and did not answer within "
                    + Daemon.STALE_SOCKET_PROBE.toSeconds() + " s");
            assertThat(socket).exists();
        } finally {
            if (probe[0] != null) {
                probe[0].close();
            }
        }
    }

    @Test
    void aDaemonOfAnotherStateDirOnTheSocketIsNamedAndKeepsIt() throws Exception {
        Process first = sandbox.startDaemon();
        awaitSocket(first).close();
        Path log = dir.resolve("other.log");

        Process other = startLogged(log, Map.of(BangerPaths.STATE_DIR_ENV, dir.resolve("other-state").toString()));

        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("another bangerd (pid " + first.pid() + ", state dir "
                + sandbox.paths().stateDir() + ") already serves it");
        assertThat(awaitStatus(first).pid()).isEqualTo(first.pid());
    }

    @Test
    void preflightLogsWhatIsMissingAndDoctorRunReportsIt() throws Exception {
        sandbox.writeConfig("[daemon]\ngroup = \"" + group + "\"\n[qemu]\nbinary = \"/nonexistent/qemu-system-x86_64\"\n");
        Process daemon = sandbox.startDaemon();
        try (RpcClient client = awaitSocket(daemon)) {
            dev.banger.model.DoctorReport report = client.call("doctor.run", null, dev.banger.model.DoctorReport.class, Duration.ofMinutes(2));
            assertThat(report.checks()).extracting(dev.banger.model.CheckResult::name)
                    .contains("kvm", "qemu", "tun", "state-dir", "free-disk", "runtime-bundle");
            assertThat(report.checks()).filteredOn(c -> c.name().equals("qemu"))
                    .singleElement().satisfies(c -> {
                        assertThat(c.status()).isNotEqualTo(dev.banger.model.CheckStatus.OK);
                        assertThat(c.detail() + c.remedy()).contains("qemu");
                    });
        }
        // The preflight runs on its own thread at start; by now (after a full doctor run) it has logged.
        assertThat(Files.readString(sandbox.daemonLog())).contains("preflight qemu");
    }

    @Test
    void invalidConfigStopsTheDaemonWithTheKeyInTheMessage() throws Exception {
        sandbox.writeConfig("[network]\nsubnet = \"10.0.0.0/33\"\n");
        Path log = dir.resolve("bad.log");
        Process daemon = startLogged(log, Map.of());
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("network.subnet");
        assertThat(sandbox.paths().socket()).doesNotExist();
    }
}
