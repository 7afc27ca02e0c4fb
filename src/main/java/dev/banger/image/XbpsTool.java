package dev.banger.image;

import dev.banger.config.ConfigKeys;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host's {@code xbps-install} and the repository signing keys shipped beside it. Debian has no
 * xbps, so the Void builder uses Void's static build ({@code xbps-static} tarball: the program at
 * {@code usr/bin/xbps-install.static}, the keys at {@code var/db/xbps/keys}); the program is the
 * configured one ({@code image.xbps_install}), else {@code xbps-install.static}, else
 * {@code xbps-install} on PATH. Immutable value.
 *
 * @param program the executable, an absolute path
 * @param keysDir the xbps keys directory of the same installation, when there is one; copied into
 *                the new root so xbps checks the repository's signature against those keys
 */
public record XbpsTool(Path program, Optional<Path> keysDir) {
    static final List<String> DEFAULT_NAMES = List.of("xbps-install.static", "xbps-install");

    /** Finds the program; {@code pathVariable} is the value of {@code PATH}. Fails naming the config key when it is missing. */
    public static XbpsTool locate(Optional<String> configured, String pathVariable) {
        List<String> names = configured.map(List::of).orElse(DEFAULT_NAMES);
        for (String name : names) {
            Optional<Path> found = name.startsWith("/") ? Optional.of(Path.of(name)).filter(XbpsTool::isExecutable)
                    : onPath(name, pathVariable);
            if (found.isPresent()) {
                return new XbpsTool(found.get(), keysBeside(found.get()));
            }
        }
        throw ImageException.precondition("cannot find " + String.join(" or ", names)
                + (configured.isPresent() ? " (config " + ConfigKeys.IMAGE_XBPS_INSTALL + ")" : " on PATH")
                + ": Void images are bootstrapped with xbps; unpack Void's xbps-static tarball and set "
                + ConfigKeys.IMAGE_XBPS_INSTALL + " to its usr/bin/xbps-install.static (see docs/void.md)");
    }

    /** {@code <prefix>/var/db/xbps/keys} for a program at {@code <prefix>/usr/bin/<name>} or {@code <prefix>/bin/<name>}. */
    static Optional<Path> keysBeside(Path program) {
        Path bin = program.toAbsolutePath().getParent();
        if (bin == null || bin.getParent() == null) {
            return Optional.empty();
        }
        Path prefix = bin.getParent().getFileName() != null && bin.getParent().getFileName().toString().equals("usr")
                ? bin.getParent().getParent() : bin.getParent();
        return Optional.ofNullable(prefix).map(p -> p.resolve("var/db/xbps/keys")).filter(Files::isDirectory);
    }

    private static Optional<Path> onPath(String name, String pathVariable) {
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
