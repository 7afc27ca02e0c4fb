package dev.banger.vmm.qemu;

import dev.banger.model.ErrorKind;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The {@code exec:} migration URIs that write a saved machine to its state file and read it back.
 * QEMU 7.2 has no {@code file:} URI, and {@code fd:} would need the daemon to pass a descriptor over
 * the QMP socket ({@code getfd}), which the JDK's Unix sockets cannot do; so the stream goes through
 * {@code cat}, and QEMU runs the URI's text with {@code /bin/sh -c}. The path therefore becomes shell
 * code: it is taken only when it is absolute and made of characters the shell gives no meaning to.
 * Pure and stateless.
 */
final class MigrationUris {
    /** Letters, digits and {@code / . _ + -}: no blanks, quotes, {@code $}, globs, redirections or separators. */
    private static final Pattern SHELL_SAFE = Pattern.compile("/[A-Za-z0-9/._+-]*");

    private MigrationUris() {
    }

    /** Writes the migration stream to {@code state}, which the caller created 0600 ({@code >} keeps its mode). */
    static String save(Path state) {
        return "exec:cat > " + safe(state);
    }

    /**
     * Reads the migration stream from {@code state}. The launching QEMU hands its child the caller's
     * stderr pipe, and the launch returns only once every holder of that pipe has closed it: the shell
     * therefore {@code exec}s {@code cat}, which drops stderr, so the launch does not wait for the
     * whole stream to be read.
     */
    static String load(Path state) {
        return "exec:exec cat " + safe(state) + " 2>/dev/null";
    }

    private static String safe(Path state) {
        String path = state.toAbsolutePath().normalize().toString();
        if (!SHELL_SAFE.matcher(path).matches()) {
            throw new QemuException(ErrorKind.INVALID_ARGUMENT, "snapshot file " + path + " cannot be handed to QEMU: "
                    + "its migration runs the path through a shell, so only letters, digits and / . _ + - are allowed; "
                    + "keep snapshots under a state directory whose path has only those");
        }
        return path;
    }
}
