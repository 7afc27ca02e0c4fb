package dev.banger.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.model.Image;
import dev.banger.model.ImageStatus;
import dev.banger.model.Ipv4Subnet;
import dev.banger.rpc.Json;
import dev.banger.store.NewVm;
import dev.banger.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who gets in and what is exposed, against a real bangerd: throwaway system users (one outside
 * the allowed group, one inside it, both removed after every test) talk to the socket through
 * {@code socat} run under {@code setpriv}; the state dir and database are closed to others; and
 * with the host network up, nothing listens beyond loopback except the guest DNS server on the
 * bridge address.
 */
@Tag("root")
class DaemonSecurityTest {
    private static final String STATUS = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"daemon.status\"}\n";

    @TempDir
    Path dir;

    private final ProcessHostCommands host = new ProcessHostCommands();
    private final String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
    private final String group = "bfz-grp-" + suffix;
    private final String outsider = "banger-fz-" + suffix;
    private final String member = "banger-fz-" + suffix + "m";
    private final List<Command> cleanup = new ArrayList<>();
    private NamespacedDaemon daemon;

    @BeforeEach
    void createUsersAndStartDaemon() throws Exception {
        host.run("groupadd", "-r", group);
        cleanup.add(Command.of("groupdel", group));
        host.run("useradd", "-r", "-M", "-U", "-s", "/usr/sbin/nologin", outsider);
        cleanup.addFirst(Command.of("userdel", outsider));
        host.run("useradd", "-r", "-M", "-U", "-s", "/usr/sbin/nologin", "-G", group, member);
        cleanup.addFirst(Command.of("userdel", member));
        // @TempDir is 0700; others need to traverse it to reach the socket, as they can reach /run/banger.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        daemon = new NamespacedDaemon(dir, "[daemon]\ngroup = \"" + group + "\"\n[network]\nsubnet = \"10.231.7.0/24\"\n");
    }

    @AfterEach
    void removeEverything() {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            cleanup.forEach(command -> host.exec(command));
        }
    }

    /** One request line sent by {@code user} (with or without its supplementary groups); returns socat's result. */
    private CommandResult asUser(String user, boolean withGroups, String request) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user,
                withGroups ? "--init-groups" : "--clear-groups", "socat", "-t", "10", "-",
                "UNIX-CONNECT:" + daemon.sandbox().paths().socket()));
        return host.exec(Command.of(argv).withStdin(request.getBytes(StandardCharsets.UTF_8)).withTimeout(Duration.ofSeconds(30)));
    }

    private static JsonNode answer(CommandResult result) throws Exception {
        assertThat(result.exitCode()).as("socat: %s", result.stderr()).isZero();
        return Json.mapper().readTree(result.stdout().strip());
    }

    @Test
    void outsiderCannotConnectToTheSocketAndIsRefusedByThePeerCredentialCheckWhenTheModeIsLoosened() throws Exception {
        daemon.start();
        Path socket = daemon.sandbox().paths().socket();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-rw----");
        assertThat(Files.readAttributes(socket, java.nio.file.attribute.PosixFileAttributes.class).group().getName()).isEqualTo(group);

        CommandResult blocked = asUser(outsider, true, STATUS);
        assertThat(blocked.exitCode()).isNotZero();
        assertThat(blocked.stderr()).contains("Permission denied");

        // An administrator's chmod 666 must not open the daemon: SO_PEERCRED is the real gate.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        JsonNode refused = answer(asUser(outsider, true, STATUS));
        assertThat(refused.has("result")).isFalse();
        assertThat(refused.path("error").path("code").intValue()).isEqualTo(-32004);
        assertThat(refused.path("error").path("data").path("kind").textValue()).isEqualTo("unauthorized");
        assertThat(refused.path("error").path("message").textValue())
                .contains("user '" + outsider + "' is neither root nor a member of group '" + group + "'");
        assertThat(daemon.log()).contains("refused " + outsider);

        // The group named in a hostile request does not matter; neither does a second request on the connection.
        JsonNode second = answer(asUser(outsider, true, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"daemon.shutdown\"}\n" + STATUS));
        assertThat(second.path("error").path("code").intValue()).isEqualTo(-32004);
        assertThat(daemon.process().isAlive()).isTrue();
    }

    @Test
    void groupMemberAndRootAreServed() throws Exception {
        daemon.start();

        JsonNode asMember = answer(asUser(member, true, STATUS));
        assertThat(asMember.path("result").path("pid").longValue()).isEqualTo(daemon.process().pid());

        // The same member without its supplementary groups is an outsider: the file mode stops it.
        assertThat(asUser(member, false, STATUS).stderr()).contains("Permission denied");

        JsonNode asRoot = answer(host.exec(Command.of("socat", "-t", "10", "-", "UNIX-CONNECT:" + daemon.sandbox().paths().socket())
                .withStdin(STATUS.getBytes(StandardCharsets.UTF_8))));
        assertThat(asRoot.path("result").path("pid").longValue()).isEqualTo(daemon.process().pid());
    }

    @Test
    void stateDirAndDatabaseAreClosedToEveryoneButRoot() throws Exception {
        daemon.start();
        Path state = daemon.sandbox().paths().stateDir();

        assertThat(mode(state)).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(state)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("state.db")).toList())
                    .isNotEmpty().allSatisfy(db -> assertThat(mode(db)).as(db.toString()).isEqualTo("rw-------"));
        }
        for (String user : List.of(outsider, member)) {
            CommandResult read = host.exec(Command.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups",
                    "cat", state.resolve("state.db").toString()));
            assertThat(read.exitCode()).isNotZero();
            assertThat(read.stderr()).contains("Permission denied");
        }
    }

    @Test
    void withTheHostNetworkUpOnlyTheGuestDnsServerListensBeyondLoopback() throws Exception {
        // A VM row makes the daemon bring the host network up at start (bridge, TAP pool, DNS).
        try (Store store = Store.open(daemon.sandbox().paths().database())) {
            Path files = dir.resolve("image");
            store.images().insert(new Image("fz-image", "debian", files.resolve("vmlinux"), null, null, files.resolve("rootfs.ext4"),
                    null, "{}", null, ImageStatus.READY, Instant.now(), false, false));
            store.vms().create(new NewVm("fz-vm", "fz-image", 1, 256, 1L << 30, "qemu"), Ipv4Subnet.parse("10.231.7.0/24"));
        }
        daemon.start();
        assertThat(daemon.links()).as("bridge up; log:%n%s", daemon.log()).anyMatch(link -> link.contains("banger0"));

        List<String> listeners = host.run("ip", "netns", "exec", daemon.namespace(), "ss", "-Hltnup").stdout().lines()
                .filter(line -> !line.isBlank()).toList();
        assertThat(listeners).as("ss -Hltnup in the daemon's namespace").isNotEmpty();
        List<String> beyondLoopback = new ArrayList<>();
        for (String line : listeners) {
            String local = line.trim().split("\\s+")[4];
            // Java's dual-stack sockets show IPv4 addresses mapped into IPv6: [::ffff:10.231.7.1].
            String address = local.substring(0, local.lastIndexOf(':')).replaceFirst("^\\[::ffff:(.*)]$", "$1");
            String port = local.substring(local.lastIndexOf(':') + 1);
            boolean loopback = address.startsWith("127.") || address.equals("[::1]");
            boolean dns = address.equals("10.231.7.1") && port.equals("53");
            if (!loopback && !dns) {
                beyondLoopback.add(line);
            }
        }
        assertThat(beyondLoopback).as("listeners beyond loopback other than DNS on the bridge address").isEmpty();
        assertThat(listeners).as("the DNS server on the bridge, UDP and TCP")
                .anyMatch(line -> line.startsWith("udp") && line.contains("10.231.7.1:53"))
                .anyMatch(line -> line.startsWith("tcp") && line.contains("10.231.7.1]:53") || line.startsWith("tcp") && line.contains(" 10.231.7.1:53"));
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
