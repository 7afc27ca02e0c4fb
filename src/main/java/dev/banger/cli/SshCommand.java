package dev.banger.cli;

import dev.banger.model.SshTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Plans the {@code ssh} argument list for {@code banger vm ssh}. Pure and stateless. */
final class SshCommand {
    private SshCommand() {}

    /**
     * The argv of the system {@code ssh}: only the given key, only the pinned host keys (no
     * trust-on-first-use, no user or global known_hosts), then the destination and the remote
     * command. A {@code --} precedes the destination because OpenSSH otherwise parses options
     * again after it, and a remote command such as {@code -oProxyCommand=...} must stay a command.
     */
    static List<String> argv(SshTarget target, Path keyFile, Path knownHostsFile, List<String> remoteCommand) {
        List<String> argv = new ArrayList<>(List.of(
                "ssh",
                "-i", keyFile.toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + knownHostsFile,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "LogLevel=ERROR",
                "-p", Integer.toString(target.port()),
                "--",
                target.user() + "@" + target.host()));
        argv.addAll(remoteCommand);
        return List.copyOf(argv);
    }
}
