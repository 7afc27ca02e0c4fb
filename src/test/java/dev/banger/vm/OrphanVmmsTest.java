package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.vmm.MachineSpec;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanVmmsTest {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    /** A backend that recognises every process it is asked about: what is tested here is which ones get asked. */
    private static final Vmm RECOGNISES_ALL = new Vmm() {
        @Override
        public String name() {
            return "qemu";
        }

        @Override
        public VmmInstance startPaused(MachineSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void resume(VmmInstance instance) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(VmmInstance instance, Duration grace) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path consoleLog(Path vmDir) {
            return vmDir.resolve("console.log");
        }

        @Override
        public boolean isAlive(VmmInstance instance) {
            return true;
        }
    };

    @AfterEach
    void stopProcesses() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor();
        }
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** A process that waits with {@code path} on its command line (tail follows /dev/null; a missing path it only retries). */
    private static ProcessBuilder waiting(Path path) {
        return new ProcessBuilder("tail", "-F", "/dev/null", path.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    }

    @Test
    void aProcessNamingTheDirectoryOrHoldingAFileInItIsFoundAndOthersAreNot() throws IOException {
        Path vmDir = Files.createDirectories(dir.resolve("vms/dev1"));
        Path elsewhere = Files.createDirectories(dir.resolve("warm/1"));
        // Started in the warm directory, then moved: its command line names warm/1, its open file is in vms/dev1 now.
        Path pidFile = Files.writeString(elsewhere.resolve("qemu.pid"), "");
        Process moved = start(waiting(elsewhere.resolve("absent")).redirectOutput(ProcessBuilder.Redirect.appendTo(pidFile.toFile())));
        Files.move(elsewhere.resolve("qemu.pid"), vmDir.resolve("qemu.pid"));
        Process named = start(waiting(vmDir.resolve("absent")));
        Process unrelated = start(waiting(dir.resolve("vms/dev10/absent")));

        List<Long> found = OrphanVmms.find(RECOGNISES_ALL, vmDir).stream().map(VmmInstance::pid).toList();

        assertThat(found).contains(moved.pid(), named.pid()).doesNotContain(unrelated.pid());
    }
}
