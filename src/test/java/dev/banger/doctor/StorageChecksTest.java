package dev.banger.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.config.BangerConfig;
import dev.banger.host.ProcessHostCommands;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.CheckResult;
import dev.banger.model.CheckStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state-dir, reflink and free-disk, in temp dirs. */
class StorageChecksTest {
    @TempDir
    Path temp;

    private TestHost machine;
    private final BangerConfig config = BangerConfig.defaults();

    @BeforeEach
    void setUp() {
        machine = new TestHost(temp);
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void missingStateDirIsCreatedPrivate() throws Exception {
        CheckResult result = new StateDirCheck(machine.context(new RecordingHostCommands(), config)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        assertThat(result.detail()).startsWith("created ");
        assertThat(Files.getPosixFilePermissions(machine.paths.stateDir()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(listing(machine.paths.stateDir())).isEmpty();
    }

    @Test
    void existingWritableStateDirIsOk() throws Exception {
        Files.createDirectories(machine.paths.stateDir());

        CheckResult result = new StateDirCheck(machine.context(new RecordingHostCommands(), config)).run();

        assertThat(result).isEqualTo(CheckResult.ok("state-dir", machine.paths.stateDir() + " is writable"));
    }

    @Test
    void stateDirPathThatIsAFileFails() throws Exception {
        Files.writeString(machine.paths.stateDir(), "oops");

        CheckResult result = new StateDirCheck(machine.context(new RecordingHostCommands(), config)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(result.detail()).contains("cannot create the state directory").contains("not a directory");
        assertThat(result.remedy()).contains("BANGER_STATE_DIR");
    }

    @Test
    void worldWritableStateDirWarns() throws Exception {
        Files.createDirectories(machine.paths.stateDir());
        Files.setPosixFilePermissions(machine.paths.stateDir(), PosixFilePermissions.fromString("rwxrwxrwx"));

        CheckResult result = new StateDirCheck(machine.context(new RecordingHostCommands(), config)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.remedy()).isEqualTo("chmod 700 " + machine.paths.stateDir());
    }

    @Test
    void reflinkIsTriedWithCpInsideTheStateDirAndCleanedUp() throws Exception {
        RecordingHostCommands host = new RecordingHostCommands();

        CheckResult result = new ReflinkCheck(machine.context(host, config)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.OK);
        List<String> cp = host.recorded().getFirst();
        assertThat(cp.subList(0, 2)).containsExactly("cp", "--reflink=always");
        assertThat(Path.of(cp.get(2)).getParent()).isEqualTo(machine.paths.stateDir());
        assertThat(Path.of(cp.get(3)).getParent()).isEqualTo(machine.paths.stateDir());
        assertThat(listing(machine.paths.stateDir())).isEmpty();
    }

    @Test
    void noReflinkWarnsQuotingCpAndNamingTheFallbacks() throws Exception {
        RecordingHostCommands host = new RecordingHostCommands()
                .answer(List.of("cp"), 1, "", "cp: failed to clone 'b' from 'a': Operation not supported\n");

        CheckResult result = new ReflinkCheck(machine.context(host, config)).run();

        assertThat(result.status()).isEqualTo(CheckStatus.WARN);
        assertThat(result.detail()).contains("Operation not supported").contains("sparse copies");
        assertThat(result.remedy()).contains("XFS").contains("Btrfs");
        assertThat(listing(machine.paths.stateDir())).isEmpty();
    }

    @Test
    void realReflinkProbeLeavesNothingBehind() throws Exception {
        CheckResult result = new ReflinkCheck(machine.context(new ProcessHostCommands(), config)).run();

        assertThat(result.status()).isIn(CheckStatus.OK, CheckStatus.WARN);
        assertThat(result.detail()).contains(machine.paths.stateDir().toString());
        assertThat(listing(machine.paths.stateDir())).isEmpty();
    }

    @Test
    void freeDiskThresholds() {
        Path dir = Path.of("/var/lib/banger");
        long gib = FreeDiskCheck.GIB;

        assertThat(FreeDiskCheck.judge(dir, 50 * gib)).isEqualTo(CheckResult.ok("free-disk", "50.0 GiB free for /var/lib/banger"));
        assertThat(FreeDiskCheck.judge(dir, 10 * gib).status()).isEqualTo(CheckStatus.OK);
        assertThat(FreeDiskCheck.judge(dir, 10 * gib - 1).status()).isEqualTo(CheckStatus.WARN);
        assertThat(FreeDiskCheck.judge(dir, 2 * gib).status()).isEqualTo(CheckStatus.WARN);
        assertThat(FreeDiskCheck.judge(dir, 2 * gib - 1).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(FreeDiskCheck.judge(dir, gib / 2).detail()).startsWith("0.5 GiB free");
        assertThat(FreeDiskCheck.judge(dir, 0).remedy()).contains("BANGER_STATE_DIR");
    }

    @Test
    void freeDiskMeasuresTheNearestExistingAncestorOfAMissingStateDir() {
        CheckResult result = new FreeDiskCheck(machine.context(new RecordingHostCommands(), config)).run();

        assertThat(Files.exists(machine.paths.stateDir())).isFalse();
        assertThat(result.detail()).contains("GiB free for " + machine.paths.stateDir());
    }

    @Test
    void diskClonesReportsTheStrategyEachBackendGetsHere() {
        DoctorContext ctx = new TestHost(temp).context(new ProcessHostCommands(), BangerConfig.defaults());

        CheckResult result = new DiskClonesCheck(ctx).run();

        // No device-mapper on this kind of host; whether the temp dir reflinks depends on its file system.
        assertThat(result.detail()).startsWith("root disks: qcow2-overlay (QEMU), ")
                .containsAnyOf("sparse-copy (Firecracker)", "reflink (Firecracker)", "dm-snapshot (Firecracker)");
        assertThat(result.status() == CheckStatus.WARN).isEqualTo(result.detail().contains("sparse-copy (Firecracker)"));
    }
}
