package dev.banger.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.banger.host.Command;
import dev.banger.host.HostCommands;
import dev.banger.host.ProcessHostCommands;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sends identities with the real client to the real guest agent (built by its Makefile) in its
 * {@code --listen-unix} test mode: files land under a scratch {@code --identity-root}, the clock and
 * entropy are validated but never set ({@code --identity-test}), and the apply program is a script
 * that records its argv. The agent sets the hostname and the network for real, so it runs in a
 * network namespace the test makes, with a TAP named {@code eth0} configured as a golden machine's
 * NIC, and in a UTS namespace of its own ({@code unshare --uts}); a {@code sleep} stands in for sshd.
 */
class HttpAgentClientIdentityTest {
    private static final Path PROJECT = Path.of(System.getProperty("user.dir"));
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOLDEN_MAC = "02:aa:00:00:00:01";
    private static Path binary;

    private final HostCommands host = new ProcessHostCommands();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private String namespace;
    private Process sshd;

    @TempDir
    Path dir;

    private Path root;
    private Path socket;
    private Path argvFile;
    private Process agent;
    private GuestIdentity.HostKeyPair hostKey;

    @BeforeAll
    static void buildAgent() {
        Path out = PROJECT.resolve("build/dist/agent");
        new ProcessHostCommands().run(Command.of("make", "-C", PROJECT.resolve("guest/agent").toString(), "OUT=" + out)
                .withTimeout(Duration.ofMinutes(3)));
        binary = out.resolve("banger-agent");
        assertThat(Files.isExecutable(binary)).as("agent binary at %s", binary).isTrue();
    }

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        socket = dir.resolve("agent.sock");
        argvFile = dir.resolve("argv");
        // A guest image as it was snapshotted: other host keys the identity must replace.
        write(root.resolve("etc/ssh/ssh_host_rsa_key"), "OLD RSA\n");
        write(root.resolve("etc/ssh/ssh_host_rsa_key.pub"), "ssh-rsa AAAAold\n");
        write(root.resolve("etc/ssh/ssh_host_ecdsa_key"), "OLD ECDSA\n");
        write(root.resolve("etc/hostname"), "golden\n");
        hostKey = generateKey();
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        namespace = "banger-idtest-" + HexFormat.of().formatHex(random);
        host.run("ip", "netns", "add", namespace);
        // The golden machine's NIC as the snapshot has it: another MAC, address and default route.
        ip("tuntap", "add", "eth0", "mode", "tap");
        ip("link", "set", "eth0", "address", GOLDEN_MAC);
        ip("address", "add", "10.99.0.2/24", "dev", "eth0");
        ip("link", "set", "eth0", "up");
        ip("route", "add", "default", "via", "10.99.0.1", "dev", "eth0");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        try {
            stop(agent);
            stop(sshd);
        } finally {
            if (namespace != null) {
                host.exec(Command.of("ip", "netns", "del", namespace));
            }
        }
    }

    private static void stop(Process process) throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code ip -n NAMESPACE ...}, its output. */
    private String ip(String... args) {
        List<String> argv = new ArrayList<>(List.of("ip", "-n", namespace));
        argv.addAll(List.of(args));
        return host.run(Command.of(argv)).stdout();
    }

    /** eth0's MAC and IPv4 addresses ("a.b.c.d/pp") as the namespace's kernel has them. */
    private JsonNode eth0() throws IOException {
        return JSON.readTree(ip("-j", "address", "show", "dev", "eth0")).get(0);
    }

    private List<String> ipv4Addresses() throws IOException {
        List<String> addresses = new ArrayList<>();
        for (JsonNode a : eth0().get("addr_info")) {
            if (a.get("family").asText().equals("inet")) {
                addresses.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt());
            }
        }
        return addresses;
    }

    /** The default routes as "GATEWAY DEV". */
    private List<String> defaultRoutes() throws IOException {
        List<String> routes = new ArrayList<>();
        for (JsonNode r : JSON.readTree(ip("-j", "route", "show", "default"))) {
            routes.add(r.get("gateway").asText() + " " + r.get("dev").asText());
        }
        return routes;
    }

    /**
     * A process standing in for sshd, its pid in the root's run/sshd.pid, for an OpenSSH from 9.8,
     * whose listener holds the host keys ({@code sshd-session} beside it).
     */
    private void startSshdHoldingKeys() throws IOException {
        write(root.resolve("usr/libexec/sshd-session"), "");
        startSshd();
    }

    /** A process standing in for sshd, its pid in the root's run/sshd.pid. */
    private void startSshd() throws IOException {
        sshd = new ProcessBuilder("sleep", "60").start();
        write(root.resolve("run/sshd.pid"), sshd.pid() + "\n");
    }

    /** How the sshd stand-in ended: 128 + the signal's number when a signal ended it. */
    private int sshdExit() throws InterruptedException {
        assertThat(sshd.waitFor(10, TimeUnit.SECONDS)).as("the sshd stand-in ended").isTrue();
        return sshd.exitValue();
    }

    /** ssh-keygen writes a real ed25519 key pair; only this test starts it, never the daemon. */
    private GuestIdentity.HostKeyPair generateKey() throws Exception {
        Path key = dir.resolve("key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).as("ssh-keygen finishes").isTrue();
        assertThat(keygen.exitValue()).as("ssh-keygen: %s", new String(keygen.getInputStream().readAllBytes())).isZero();
        String pub = Files.readString(key.resolveSibling("key.pub")).strip();
        String[] parts = pub.split(" ");
        return new GuestIdentity.HostKeyPair(Files.readString(key), parts[0] + " " + parts[1]);
    }

    private GuestIdentity identity(String hostname) {
        return identity(hostname, true);
    }

    private GuestIdentity identity(String hostname, boolean growRoot) {
        byte[] entropy = new byte[GuestIdentity.ENTROPY_BYTES];
        for (int i = 0; i < entropy.length; i++) {
            entropy[i] = (byte) (i * 7);
        }
        return new GuestIdentity(hostname, "172.16.0.5/24", "172.16.0.1", List.of("1.1.1.1", "8.8.8.8"),
                "02:fc:00:00:00:05", "0123456789abcdef0123456789abcdef", Instant.ofEpochSecond(1_764_940_000L, 5),
                entropy, hostKey, growRoot);
    }

    /** The apply program: records its argv, prints, and exits with {@code exit}. */
    private Path applyScript(int exit, String says) throws IOException {
        Path script = dir.resolve("apply.sh");
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argvFile + "'\necho '" + says + "'\nexit " + exit + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private void startAgent(Path apply, boolean overUnix) throws Exception {
        // ip netns exec and unshare (without --fork) exec the next program: the process is the agent.
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "unshare", "--uts", "--",
                binary.toString(), "--listen-unix", socket.toString(), "--identity-test", "--identity-root", root.toString(),
                "--identity-apply", apply.toString()));
        if (overUnix) {
            argv.add("--identity-over-unix");
        }
        agent = new ProcessBuilder(argv).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lines.add(line);
                    log.add(line);
                }
            } catch (IOException e) {
                // The agent was stopped.
            }
        });
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                break;
            }
            seen.add(line);
            if (line.contains("serving")) {
                return;
            }
        }
        throw new AssertionError("agent did not report that it serves within 10 s; output: " + seen);
    }

    private HttpAgentClient client() {
        return HttpAgentClient.overUnixSocket(socket);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private String mode(String relative) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(relative)));
    }

    /** Every file under the root with its mode and content, to compare two applications. */
    private Map<String, String> snapshot() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                files.put(root.relativize(p).toString(), PosixFilePermissions.toString(perms) + " " + Files.readString(p));
            }
        }
        return files;
    }

    @Test
    void identitySetsTheFilesHostnameNetworkAndSshdAndLeavesTheProgramOnlyTheGrowing() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        startSshdHoldingKeys();
        String goldenMac = eth0().get("address").asText();

        long start = System.nanoTime();
        client().applyIdentity(identity("dev1", true), DEADLINE);
        long tookMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);

        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("dev1\n");
        assertThat(mode("etc/hostname")).isEqualTo("rw-r--r--");
        assertThat(Files.readString(root.resolve("etc/machine-id"))).isEqualTo("0123456789abcdef0123456789abcdef\n");
        assertThat(mode("etc/machine-id")).isEqualTo("r--r--r--");
        assertThat(Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key"))).isEqualTo(hostKey.privateKey());
        assertThat(mode("etc/ssh/ssh_host_ed25519_key")).isEqualTo("rw-------");
        assertThat(Files.readString(root.resolve("etc/ssh/ssh_host_ed25519_key.pub"))).isEqualTo(hostKey.publicKey() + "\n");
        assertThat(mode("etc/ssh/ssh_host_ed25519_key.pub")).isEqualTo("rw-r--r--");
        assertThat(root.resolve("etc/ssh/ssh_host_rsa_key")).doesNotExist();
        assertThat(root.resolve("etc/ssh/ssh_host_rsa_key.pub")).doesNotExist();
        assertThat(root.resolve("etc/ssh/ssh_host_ecdsa_key")).doesNotExist();
        assertThat(Files.readString(root.resolve("etc/resolv.conf"))).isEqualTo("nameserver 1.1.1.1\nnameserver 8.8.8.8\n");
        assertThat(mode("etc/resolv.conf")).isEqualTo("rw-r--r--");
        assertThat(root.resolve("run/banger")).as("no command line file any more").doesNotExist();
        try (Stream<Path> walk = Files.walk(root)) {
            assertThat(walk.map(Path::toString)).noneMatch(p -> p.endsWith(".banger-tmp"));
        }
        assertThat(goldenMac).isEqualTo(GOLDEN_MAC);
        assertThat(eth0().get("address").asText()).isEqualTo("02:fc:00:00:00:05");
        assertThat(eth0().get("flags").toString()).contains("\"UP\"");
        assertThat(ipv4Addresses()).containsExactly("172.16.0.5/24");
        assertThat(defaultRoutes()).containsExactly("172.16.0.1 eth0");
        assertThat(client().health(Duration.ofSeconds(5)).hostname()).isEqualTo("dev1");
        assertThat(sshdExit()).as("sshd was hung up (128 + SIGHUP)").isEqualTo(129);
        assertThat(Files.readAllLines(argvFile)).as("the program only grows /root").containsExactly("yes", "no");
        assertThat(log).anyMatch(line -> line.startsWith("banger-agent: identity dev1 applied in "));
        System.out.printf("identity applied natively in a netns: %d us round trip; agent: %s%n", tookMicros,
                log.stream().filter(line -> line.contains("identity dev1 applied")).findFirst().orElse("?"));
    }

    @Test
    void withALiveSshdAndNothingToGrowTheProgramIsNotRun() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        startSshdHoldingKeys();

        long start = System.nanoTime();
        client().applyIdentity(identity("dev2", false), DEADLINE);
        long tookMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);

        assertThat(sshdExit()).isEqualTo(129);
        assertThat(argvFile).doesNotExist();
        assertThat(ipv4Addresses()).containsExactly("172.16.0.5/24");
        assertThat(client().health(Duration.ofSeconds(5)).hostname()).isEqualTo("dev2");
        assertThat(log).anyMatch(line -> line.startsWith("banger-agent: identity dev2 applied in ")
                && line.endsWith("sshd hung up, apply program not needed"));
        System.out.printf("identity applied natively, no program: %d us round trip; agent: %s%n", tookMicros,
                log.stream().filter(line -> line.contains("identity dev2 applied")).findFirst().orElse("?"));
    }

    @Test
    void anSshdThatReadsTheKeysInEachConnectionIsLeftListening() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        startSshd(); // no sshd-session: OpenSSH before 9.8

        client().applyIdentity(identity("dev4", false), DEADLINE);

        assertThat(sshd.isAlive()).as("the listener was not hung up").isTrue();
        assertThat(argvFile).doesNotExist();
        assertThat(log).anyMatch(line -> line.startsWith("banger-agent: identity dev4 applied in ")
                && line.endsWith("sshd loads the key per connection, apply program not needed"));
    }

    @Test
    void withoutALiveSshdTheProgramReloadsIt() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        // A pid file left from before the snapshot whose process is gone.
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
        write(root.resolve("run/sshd.pid"), gone.pid() + "\n");

        client().applyIdentity(identity("dev3", false), DEADLINE);

        assertThat(Files.readAllLines(argvFile)).containsExactly("no", "yes");
        assertThat(defaultRoutes()).containsExactly("172.16.0.1 eth0");
    }

    @Test
    void applyingTheSameIdentityTwiceGivesTheSameFiles() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        client().applyIdentity(identity("dev1"), DEADLINE);
        Map<String, String> first = snapshot();
        Files.delete(argvFile);

        client().applyIdentity(identity("dev1"), DEADLINE);

        assertThat(snapshot()).isEqualTo(first);
    }

    @Test
    void aFieldTheAgentRefusesBecomesAnExceptionNamingIt() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        // GuestIdentity refuses a bad gateway itself, so the guest is sent a body the client could never build.
        String body = new String(IdentityWire.body(identity("dev1")), StandardCharsets.UTF_8)
                .replace("gateway=172.16.0.1", "gateway=172.16.0.256");
        AgentHttp.Result result;
        Deadline end = Deadline.after(DEADLINE, socket.toString());
        try (ChannelIo io = ChannelIo.connect(socket, end)) {
            AgentHttp.Request request = AgentHttp.request("POST", "/identity", "application/json", IdentityWire.CONTENT_TYPE,
                    body.getBytes(StandardCharsets.UTF_8));
            io.write(request.bytes(), end, "sending");
            result = AgentHttp.read(io, end, request, "POST /identity", socket.toString());
        }

        assertThatThrownBy(() -> IdentityWire.check(result, identity("dev1"), socket.toString()))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("refused the identity of dev1")
                .hasMessageContaining("gateway: not a dotted IPv4 address")
                .extracting(e -> ((AgentException) e).reason()).isEqualTo(AgentException.Reason.PROTOCOL);
        assertThat(Files.readString(root.resolve("etc/hostname"))).as("nothing changes on a 400").isEqualTo("golden\n");
        assertThat(ipv4Addresses()).containsExactly("10.99.0.2/24");
        assertThat(eth0().get("address").asText()).isEqualTo(GOLDEN_MAC);
        assertThat(argvFile).doesNotExist();
    }

    @Test
    void aFailingApplyProgramBecomesAnExceptionCarryingItsOutput() throws Exception {
        startAgent(applyScript(3, "resize2fs: Bad magic number in super-block"), true);

        assertThatThrownBy(() -> client().applyIdentity(identity("dev1"), DEADLINE))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("failed to apply the identity of dev1")
                .hasMessageContaining("exited with 3")
                .hasMessageContaining("resize2fs: Bad magic number in super-block");
    }

    @Test
    void aGatewayOutsideTheNetworkFailsNamingTheStepAndTheInterface() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        GuestIdentity good = identity("dev1");
        GuestIdentity far = new GuestIdentity(good.hostname(), good.address(), "192.0.2.1", good.dns(), good.mac(),
                good.machineId(), good.clock(), good.entropy(), good.hostKey(), good.growRoot());

        assertThatThrownBy(() -> client().applyIdentity(far, DEADLINE))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("network: eth0: add default route via 192.0.2.1: Network is unreachable");
    }

    @Test
    void withoutIdentityOverUnixTheSocketIsNotTheHostSide() throws Exception {
        startAgent(applyScript(0, "applied"), false);

        assertThatThrownBy(() -> client().applyIdentity(identity("dev1"), DEADLINE))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("not the host side");
        assertThat(Files.readString(root.resolve("etc/hostname"))).isEqualTo("golden\n");
        assertThat(argvFile).doesNotExist();
        assertThatThrownBy(() -> client().sync(DEADLINE))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("did not sync the guest: 403 Forbidden")
                .hasMessageContaining("sync is accepted only from the host side");
    }

    @Test
    void theHostSideHasTheGuestSyncItsDisks() throws Exception {
        startAgent(applyScript(0, "applied"), true);

        client().sync(DEADLINE);

        assertThat(client().health(Duration.ofSeconds(5)).hostname()).as("the agent serves on").isNotBlank();
    }

    @Test
    void healthStillAnswersBesideIdentities() throws Exception {
        startAgent(applyScript(0, "applied"), true);
        client().applyIdentity(identity("dev1"), DEADLINE);

        assertThat(client().health(Duration.ofSeconds(5)).legacy()).isFalse();
    }

    @Test
    void theBodyCarriesEveryFieldOnceInTheAgentsFormat() {
        String body = new String(IdentityWire.body(identity("dev1")), StandardCharsets.UTF_8);

        assertThat(body.split("\n")).extracting(line -> line.substring(0, line.indexOf('='))).containsExactly(
                "hostname", "address", "gateway", "dns", "mac", "machine_id", "clock", "entropy", "host_key_ed25519",
                "host_key_ed25519_pub", "grow_root");
        assertThat(body).contains("\nclock=1764940000.000000005\n")
                .contains("\nentropy=" + HexFormat.of().formatHex(identity("dev1").entropy()) + "\n")
                .contains("\ndns=1.1.1.1,8.8.8.8\n")
                .endsWith("\ngrow_root=yes\n");
    }
}
