package dev.banger.cli;

import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import dev.banger.model.SshTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;

/**
 * Where {@code banger vm ssh} keeps the VM's private key and pinned host keys: a per-user
 * directory (mode 0700) with files that are mode 0600 from the moment they exist. Stateless.
 */
final class SshKeyFiles {
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /** The key file and the known_hosts file of one VM. */
    record Written(Path key, Path knownHosts) {}

    /** The files could not be written safely. */
    static final class KeyFileException extends BangerException {
        KeyFileException(String message) {
            super(ErrorKind.PRECONDITION_FAILED, message);
        }

        KeyFileException(String message, Throwable cause) {
            super(ErrorKind.INTERNAL, message, cause);
        }
    }

    private SshKeyFiles() {}

    /** {@code $XDG_RUNTIME_DIR/banger} (tmpfs, per user) when set, else {@code ~/.cache/banger/ssh}. */
    static Path directory(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) {
            return Path.of(runtime, "banger");
        }
        String home = env.get("HOME");
        Path base = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
        return base.resolve(".cache").resolve("banger").resolve("ssh");
    }

    /**
     * Writes {@code <dir>/<vm>.key} and {@code <dir>/<vm>.known_hosts}, replacing older ones. The
     * VM name must already be validated; it becomes part of the file names.
     */
    static Written write(Path dir, SshTarget target) {
        try {
            prepareDirectory(dir);
            String key = target.privateKey().endsWith("\n") ? target.privateKey() : target.privateKey() + "\n";
            Path keyFile = replace(dir, target.name() + ".key", key);
            Path knownHosts = replace(dir, target.name() + ".known_hosts", String.join("\n", target.knownHosts()) + "\n");
            return new Written(keyFile, knownHosts);
        } catch (IOException e) {
            throw new KeyFileException("cannot write the SSH key for " + target.name() + " in " + dir + ": " + e, e);
        }
    }

    private static void prepareDirectory(Path dir) throws IOException {
        if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir.getParent());
            try {
                // Created 0700 (the umask can only take bits away), so there is no moment it is open.
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException concurrentlyCreated) {
                // Another banger (or a parallel benchmark run) made it first; the checks below still apply.
            }
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeyFileException(dir + " is not a directory; remove it and retry");
        }
        String user = System.getProperty("user.name");
        UserPrincipal me = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(me)) {
            throw new KeyFileException(dir + " belongs to " + owner.getName() + ", not " + user
                    + "; it must be private to you: remove it and retry");
        }
        Files.setPosixFilePermissions(dir, DIR_MODE);
    }

    /** Writes a fresh 0600 file next to the target, then renames it over the target. */
    private static Path replace(Path dir, String name, String content) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(FILE_MODE);
        Path temp = Files.createTempFile(dir, "." + name, ".tmp", mode);
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Path target = dir.resolve(name);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
