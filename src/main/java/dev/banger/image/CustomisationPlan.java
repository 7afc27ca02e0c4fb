package dev.banger.image;

import java.util.List;
import java.util.Optional;

/**
 * What the shared customisation stages do to a guest root filesystem, as data: directories to
 * create, files to write, commands to run inside the root (npm installs for the dev profile),
 * services to enable, and paths to clear before sealing. A builder applies it in that order.
 * Immutable value.
 *
 * @param directories     created with their modes before any file is written
 * @param files           written whole with their modes
 * @param chrootCommands  argument lists run inside the guest root after the files are in place
 * @param enableServices  service names in the distro's own form ({@code ssh.service} for systemd,
 *                        a runit service directory name for Void)
 * @param cleanupPaths    cleared in order just before the filesystem is sealed
 */
public record CustomisationPlan(
        List<GuestDirectory> directories,
        List<GuestFile> files,
        List<List<String>> chrootCommands,
        List<String> enableServices,
        List<CleanupPath> cleanupPaths) {
    public CustomisationPlan {
        directories = List.copyOf(directories);
        files = List.copyOf(files);
        chrootCommands = chrootCommands.stream().map(List::copyOf).toList();
        enableServices = List.copyOf(enableServices);
        cleanupPaths = List.copyOf(cleanupPaths);
    }

    /** The planned file at {@code path}, if any. */
    public Optional<GuestFile> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }
}
