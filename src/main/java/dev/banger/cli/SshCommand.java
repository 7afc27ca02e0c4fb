package dev.banger.cli;

import dev.banger.model.SshTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Plans the {@code ssh} argument list for {@code banger vm ssh} and {@code vm exec}. Pure and stateless. */
final class SshCommand {
    private SshCommand() {}

    /**
     * The argv of the system {@code ssh}: only the given key, only the pinned host keys (no
     * trust-on-first-use, no user or global known_hosts), then the destination and the remote
     * command. A {@code --} precedes the destination because OpenSSH otherwise parses options
     * again after it, and a remote command such as {@code -oProxyCommand=...} must stay a command.
     */
    static List<String> argv(SshTarget target, Path keyFile, Path knownHostsFile, List<String> remoteCommand) {
        return argv(target, keyFile, knownHostsFile, List.of(), remoteCommand);
    }

    /** As {@link #argv(SshTarget, Path, Path, List)}, with {@code sshOptions} (such as {@code -T}) before the {@code --}. */
    static List<String> argv(SshTarget target, Path keyFile, Path knownHostsFile, List<String> sshOptions,
            List<String> remoteCommand) {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        argv.addAll(pinnedKeyOptions(keyFile, knownHostsFile));
        argv.addAll(List.of("-p", Integer.toString(target.port())));
        argv.addAll(sshOptions);
        argv.add("--");
        argv.add(target.user() + "@" + target.host());
        argv.addAll(remoteCommand);
        return List.copyOf(argv);
    }

    /** The options, shared by {@code ssh} and {@code scp}, that trust only the given key and the pinned host keys. */
    static List<String> pinnedKeyOptions(Path keyFile, Path knownHostsFile) {
        return List.of(
                "-i", keyFile.toString(),
                "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + knownHostsFile,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "LogLevel=ERROR");
    }
}
