package dev.banger.vm;

import dev.banger.host.OpenFiles;
import dev.banger.vm.state.VmException;
import dev.banger.vmm.Vmm;
import dev.banger.vmm.VmmInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds VMM processes a VM's record does not know about: a daemon killed between launching a VMM
 * and recording it leaves one running with the VM's directory on its command line, or, for a warm
 * machine moved into the directory, with a file in it open (and holding its TAP). A process counts
 * only when the backend itself recognises it as its VMM for that directory ({@link Vmm#isAlive}),
 * so a shell or {@code tail} in the directory is never touched.
 * Stateless.
 */
final class OrphanVmms {
    private static final Path PROC = Path.of("/proc");

    private OrphanVmms() {}

    /** The backend's live processes for {@code vmDir}, as instances {@link Vmm#stop} accepts. */
    static List<VmmInstance> find(Vmm vmm, Path vmDir) {
        String dir = vmDir.toAbsolutePath().normalize() + "/";
        List<VmmInstance> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(PROC)) {
            for (Path process : processes.toList()) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || !mentions(process, dir)) {
                    continue;
                }
                VmmInstance candidate = new VmmInstance(vmm.name(), Long.parseLong(name), vmDir, vmDir.resolve("agent.sock"),
                        VmmInstance.AgentTransport.UNIX_STREAM);
                if (vmm.isAlive(candidate)) {
                    found.add(candidate);
                }
            }
        } catch (IOException e) {
            throw VmException.failed("cannot list the processes in " + PROC + ": " + e.getMessage());
        }
        return found;
    }

    private static boolean mentions(Path process, String dir) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).contains(dir)
                    || OpenFiles.anyMatch(process, file -> file.toString().startsWith(dir));
        } catch (IOException exitedOrForbidden) {
            return false;
        }
    }

}
