package dev.banger.vmm.firecracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.FirecrackerConfig;
import dev.banger.model.ErrorKind;
import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.VmmException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link FirecrackerVmm} refuses before it spawns anything; the API exchange is in the contract test. */
class FirecrackerVmmTest {
    @TempDir
    Path dir;

    private Path vmDir;
    private Path marker;
    private Path binary;
    private FirecrackerVmm vmm;

    @BeforeEach
    void setUp() throws Exception {
        vmDir = Files.createDirectories(dir.resolve("vms/dev1"));
        marker = dir.resolve("spawned");
        // A "firecracker" that only leaves a mark: a spawn that should not happen becomes visible.
        binary = Files.createDirectories(dir.resolve("bin")).resolve("firecracker");
        Files.writeString(binary, "#!/bin/sh\necho spawned > '" + marker + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() {
        if (vmm != null) {
            vmm.close();
        }
    }

    @Test
    void qcow2DriveIsRefusedBeforeAnythingIsSpawnedOrWritten() throws Exception {
        vmm = vmm(binary);
        MachineSpec spec = Specs.withDrives(vmDir, List.of(
                new MachineSpec.Drive("root", vmDir.resolve("root.qcow2"), MachineSpec.DiskFormat.QCOW2, false)));

        assertThatThrownBy(() -> vmm.start(spec))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("QCOW2")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));

        assertThat(marker).doesNotExist();
        try (Stream<Path> files = Files.list(vmDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void missingBinaryIsAPreconditionNamingThePath() {
        Path missing = dir.resolve("nowhere/firecracker");
        vmm = vmm(missing);

        assertThatThrownBy(() -> vmm.start(Specs.full(vmDir)))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining(missing + " is missing or not executable")
                .satisfies(e -> assertThat(((VmmException) e).kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED));
    }

    @Test
    void missingVmDirectoryIsAPreconditionAndNothingIsSpawned() {
        vmm = vmm(binary);

        assertThatThrownBy(() -> vmm.start(Specs.full(dir.resolve("vms/absent"))))
                .isInstanceOf(VmmException.class)
                .hasMessageContaining("VM directory " + dir.resolve("vms/absent") + " does not exist");
        assertThat(marker).doesNotExist();
    }

    @Test
    void settingsTakeTheConfiguredBinaryOverTheBundles() {
        Path bundle = Path.of("/opt/banger/lib/banger/firecracker");
        Path configured = Path.of("/usr/local/bin/firecracker");

        assertThat(FirecrackerVmm.Settings.of(FirecrackerConfig.DEFAULTS, bundle).binary()).isEqualTo(bundle);
        assertThat(FirecrackerVmm.Settings.of(new FirecrackerConfig(Optional.of(configured), Optional.empty()), bundle)
                .binary()).isEqualTo(configured);
    }

    @Test
    void faultMessageIsTakenFromFirecrackersErrorBodyOrShownRaw() {
        assertThat(FirecrackerApiClient.faultMessage("{\"fault_message\":\"Invalid MAC\"}")).isEqualTo("Invalid MAC");
        assertThat(FirecrackerApiClient.faultMessage("upstream went away")).isEqualTo("upstream went away");
        assertThat(FirecrackerApiClient.faultMessage("")).isEqualTo("(no body)");
    }

    private static FirecrackerVmm vmm(Path binary) {
        return new FirecrackerVmm(new FirecrackerVmm.Settings(binary, Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }
}
