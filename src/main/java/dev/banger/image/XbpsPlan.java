package dev.banger.image;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code xbps-install} run that bootstraps a Void root, as an argument list and environment:
 * sync the one repository, install into the new root without questions, keep downloads in a
 * cache directory, and always add the base system, bash, the kernel and dracut (the boot stack the
 * image stages) to the profile's packages. Pure. Stateless and thread-safe.
 */
public final class XbpsPlan {
    /** Installed into every Void image besides config/packages.void: what a bootable runit system with root's bash needs. */
    public static final List<String> BASE_PACKAGES = List.of("base-minimal", "bash", "shadow", "linux", "dracut");
    /** Device nodes the package scripts run by xbps in the new root write to, before devtmpfs exists there. */
    static final List<List<String>> DEVICE_NODES = List.of(
            List.of("null", "0666", "c", "1", "3"),
            List.of("zero", "0666", "c", "1", "5"),
            List.of("full", "0666", "c", "1", "7"),
            List.of("random", "0666", "c", "1", "8"),
            List.of("urandom", "0666", "c", "1", "9"),
            List.of("tty", "0666", "c", "5", "0"),
            List.of("console", "0600", "c", "5", "1"));
    /** Where xbps keeps trusted repository keys inside a root. */
    static final String KEYS_DIR = "/var/db/xbps/keys";

    private XbpsPlan() {}

    /** {@code xbps-install -S -y -r <root> -R <repo> -c <cache> <base and packages>}. */
    public static List<String> argv(Path xbpsInstall, URI repository, Path cacheDir, Path root, List<String> packages) {
        Set<String> install = new LinkedHashSet<>(BASE_PACKAGES);
        install.addAll(packages);
        for (String name : install) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9+._-]*")) {
                throw ImageException.invalid("'" + name + "' is not a Void package name");
            }
        }
        List<String> argv = new ArrayList<>(List.of(
                xbpsInstall.toString(), "--sync", "--yes",
                "--rootdir", root.toString(),
                "--repository", repository.toString(),
                "--cachedir", cacheDir.toString()));
        argv.addAll(install);
        return List.copyOf(argv);
    }

    /** xbps on a foreign host must be told the target architecture (glibc x86_64). */
    public static Map<String, String> env() {
        return Map.of("XBPS_ARCH", VoidRepository.ARCH);
    }

    /** {@code mknod} argument lists for the root's {@code /dev}, which must exist as a directory. */
    static List<List<String>> deviceNodes(Path root) {
        return DEVICE_NODES.stream()
                .map(n -> List.of("mknod", "-m", n.get(1), root.resolve("dev").resolve(n.get(0)).toString(), n.get(2), n.get(3), n.get(4)))
                .toList();
    }
}
