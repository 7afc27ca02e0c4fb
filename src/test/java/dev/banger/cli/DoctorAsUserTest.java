package dev.banger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.banger.daemon.BangerSandbox;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import dev.banger.rpc.Json;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code banger doctor} run by a real user other than root (a throwaway system user, removed after
 * the test, the CLI started under {@code setpriv}) with no daemon: the same checks as root's, the
 * root-only ones reported as not run, and nothing of root's created.
 */
@Tag("root")
class DoctorAsUserTest {
    private static final List<String> ROOT_ONLY = List.of("kvm", "reflink", "disk-clones", "state-dir", "default-image");

    @TempDir
    Path dir;

    private final ProcessHostCommands host = new ProcessHostCommands();
    private final String user = "banger-dr-" + Long.toString(System.nanoTime() % 1_000_000, 36);
    private BangerSandbox sandbox;
    private Path classPath;

    @BeforeEach
    void createUserAndReadableClassPath() throws IOException {
        host.run("useradd", "-r", "-M", "-U", "-s", "/usr/sbin/nologin", user);
        // @TempDir is 0700, and the jars live in root's Maven repository: copy what the user must read.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        sandbox = new BangerSandbox(dir.resolve("sandbox"));
        Files.setPosixFilePermissions(dir.resolve("sandbox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        classPath = Files.createDirectories(dir.resolve("cp"));
    }

    @AfterEach
    void removeUser() {
        try {
            sandbox.close();
        } finally {
            host.exec(Command.of("userdel", user));
        }
    }

    private String readableClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.isRegularFile(source)) {
                Path copy = classPath.resolve((n++) + "-" + source.getFileName());
                Files.copy(source, copy);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private CommandResult doctorAsUser() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> argv = List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups",
                java, "--enable-native-access=ALL-UNNAMED", "-cp", readableClassPath(), "dev.banger.cli.BangerMain",
                "doctor", "--json");
        return host.exec(Command.of(argv).withEnv(sandbox.env()).withTimeout(Duration.ofSeconds(90)));
    }

    @Test
    void aUserGetsTheDaemonsChecksWithThoseThatNeedRootNotRun() throws Exception {
        CommandResult asUser = doctorAsUser();
        assertThat(sandbox.paths().stateDir()).as("created by the user's doctor").doesNotExist();
        CommandResult asRoot = sandbox.cli("doctor", "--json");

        assertThat(asUser.stderr()).contains("as a user other than root: those that need root were not run");
        JsonNode report = Json.mapper().readTree(asUser.stdout().strip().lines().toList().getLast());
        JsonNode rootReport = Json.mapper().readTree(asRoot.stdout().strip().lines().toList().getLast());
        List<String> names = new ArrayList<>();
        List<String> rootNames = new ArrayList<>();
        report.get("checks").forEach(c -> names.add(c.get("name").asText()));
        rootReport.get("checks").forEach(c -> rootNames.add(c.get("name").asText()));
        assertThat(names).isEqualTo(rootNames);
        for (JsonNode check : report.get("checks")) {
            String detail = check.get("detail").asText();
            if (ROOT_ONLY.contains(check.get("name").asText())) {
                assertThat(check.get("status").asText()).isEqualTo("warn");
                assertThat(detail).startsWith("not run: needs root (");
            } else {
                assertThat(detail).as(check.get("name").asText()).doesNotStartWith("not run");
            }
        }
        assertThat(sandbox.lockedPid()).isEmpty();
    }
}
