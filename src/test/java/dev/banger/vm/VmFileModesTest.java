package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VM's directory (disks, VMM sockets, logs) is closed to everyone but root from the moment it exists. */
class VmFileModesTest {
    @TempDir
    Path dir;

    private VmFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = new VmFixture(dir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void vmDirectoryIsMode0700AndNothingInsideIsOpenToOthers() throws IOException {
        VmService service = fx.service(VmFixture.QUICK);
        service.create(service.plan(new CreateRequest("dev1", null, null, null, null)), new RecordingStages());

        Path vmDir = fx.vmDir("dev1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vmDir))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.walk(vmDir)) {
            assertThat(files.filter(p -> !Files.isSymbolicLink(p)).toList()).allSatisfy(p -> assertThat(Files.getPosixFilePermissions(p))
                    .as(p.toString()).doesNotContain(PosixFilePermission.OTHERS_WRITE));
        }
    }
}
