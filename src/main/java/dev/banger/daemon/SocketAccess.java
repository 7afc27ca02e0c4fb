package dev.banger.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Optional;

/**
 * Makes the daemon socket usable by root and the allowed group only: mode 0660, group set when
 * that group exists on this host. The peer-credential check is the real gate; this keeps
 * everyone else from even connecting.
 */
final class SocketAccess {
    private SocketAccess() {}

    /** Applies mode and group; returns the group that was set, if any. */
    static Optional<String> restrict(Path socket, String group) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        if (group == null || group.isBlank()) {
            return Optional.empty();
        }
        try {
            GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
            return Optional.of(group);
        } catch (UserPrincipalNotFoundException e) {
            return Optional.empty();
        }
    }
}
