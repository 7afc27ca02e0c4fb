package dev.banger.image;

import dev.banger.host.FileTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * File operations on a guest root tree on the host ({@code <build>/tree}), confined to that tree:
 * a guest path never resolves through a symlink, because an absolute link inside the guest (say
 * {@code /var/run -> /run}) would otherwise point into the host. Not thread-safe; one build owns
 * its tree.
 */
final class GuestTree {
    private final Path root;

    GuestTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The host path of {@code guestPath}, refusing any symlinked parent directory. */
    Path resolve(String guestPath) {
        Path current = root;
        String[] parts = guestPath.substring(1).split("/");
        for (int i = 0; i < parts.length; i++) {
            if (i == parts.length - 1 && parts[i].equals(".")) {
                // "dir/." asks for dir itself, which must not be a link either.
                if (Files.isSymbolicLink(current)) {
                    throw throughLink(guestPath, current);
                }
                return current;
            }
            if (parts[i].isEmpty() || parts[i].equals(".") || parts[i].equals("..")) {
                throw ImageException.invalid("guest path '" + guestPath + "' is not normalised");
            }
            current = current.resolve(parts[i]);
            if (i < parts.length - 1 && Files.isSymbolicLink(current)) {
                throw throughLink(guestPath, current);
            }
        }
        return current;
    }

    private ImageException throughLink(String guestPath, Path link) {
        return ImageException.precondition("guest path '" + guestPath + "' runs through the symlink "
                + root.relativize(link) + "; banger does not follow links while customising an image");
    }

    void mkdir(GuestDirectory dir) {
        Path path = resolve(dir.path());
        try {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, permissions(dir.mode()));
        } catch (IOException e) {
            throw ImageException.io("cannot create guest directory " + dir.path() + ": " + e.getMessage(), e);
        }
    }

    void write(GuestFile file) {
        Path path = resolve(file.path());
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
            Files.writeString(path, file.content());
            Files.setPosixFilePermissions(path, permissions(file.mode()));
        } catch (IOException e) {
            throw ImageException.io("cannot write guest file " + file.path() + ": " + e.getMessage(), e);
        }
    }

    void copyIn(Path hostFile, String guestPath, int mode) {
        Path path = resolve(guestPath);
        try {
            Files.createDirectories(path.getParent());
            Files.copy(hostFile, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(path, permissions(mode));
        } catch (IOException e) {
            throw ImageException.io("cannot copy " + hostFile + " to guest " + guestPath + ": " + e.getMessage(), e);
        }
    }

    /** A guest symlink {@code guestPath -> target}, replacing what was there. */
    void symlink(String guestPath, String target) {
        Path path = resolve(guestPath);
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(target));
        } catch (IOException e) {
            throw ImageException.io("cannot link guest " + guestPath + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Clears every match of a cleanup pattern; returns the guest paths cleared. Missing directories match nothing. */
    List<String> clean(CleanupPath cleanup) {
        String pattern = cleanup.pattern();
        int slash = pattern.lastIndexOf('/');
        String parent = slash == 0 ? "/" : pattern.substring(0, slash);
        String glob = pattern.substring(slash + 1);
        Path dir = parent.equals("/") ? root : resolve(parent + "/.");
        List<String> cleared = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return cleared;
        }
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, glob)) {
            for (Path match : matches) {
                if (cleanup.action() == CleanupPath.Action.TRUNCATE) {
                    if (Files.isRegularFile(match, LinkOption.NOFOLLOW_LINKS)) {
                        Files.write(match, new byte[0]);
                    }
                } else {
                    deleteTree(match);
                }
                cleared.add("/" + root.relativize(match));
            }
        } catch (IOException e) {
            throw ImageException.io("cannot clear guest " + pattern + ": " + e.getMessage(), e);
        }
        return cleared;
    }

    /** Removes a file, link or whole directory tree without following links. */
    static void deleteTree(Path path) throws IOException {
        FileTrees.delete(path);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
