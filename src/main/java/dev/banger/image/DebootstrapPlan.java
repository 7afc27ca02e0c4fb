package dev.banger.image;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code debootstrap} invocation of a Debian build, as an argument list: a minbase system with
 * the baseline packages and the distro kernel included in the same run (debootstrap resolves
 * their dependencies), with downloaded packages kept in a cache directory so a rebuild reuses
 * them. Pure. Stateless and thread-safe.
 */
public final class DebootstrapPlan {
    /** The kernel the guest boots and whose modules match its rootfs; it also pulls in initramfs-tools. */
    public static final String KERNEL_PACKAGE = "linux-image-cloud-amd64";

    private DebootstrapPlan() {}

    public static List<String> argv(String release, URI mirror, List<String> packages, Path cacheDir, Path target) {
        Set<String> include = new LinkedHashSet<>(packages);
        include.add(KERNEL_PACKAGE);
        for (String name : include) {
            if (!name.matches("[a-z0-9][a-z0-9+.-]*")) {
                throw ImageException.invalid("'" + name + "' is not a Debian package name");
            }
        }
        List<String> argv = new ArrayList<>(List.of(
                "debootstrap",
                "--variant=minbase",
                "--components=main",
                "--cache-dir=" + cacheDir,
                "--include=" + String.join(",", include),
                release,
                target.toString(),
                mirror.toString()));
        return List.copyOf(argv);
    }
}
