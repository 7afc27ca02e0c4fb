package dev.banger.cli;

import dev.banger.model.SshTarget;
import java.nio.file.Path;
import java.util.List;

/**
 * Plans the {@code ssh} argument list for {@code banger vm exec}: the guest must see the argv the
 * user typed, but ssh joins its arguments with spaces into one string that the guest user's login
 * shell splits again, so each word is quoted for a POSIX shell first. Pure and stateless.
 */
final class ExecCommand {
    private ExecCommand() {}

    /** {@code ssh} with the pinned key, {@code -T} (or {@code -tt} with {@code tty}), and the quoted command. */
    static List<String> argv(SshTarget target, Path keyFile, Path knownHostsFile, boolean tty, List<String> command) {
        // -tt, not -t: one -t asks for no terminal when ssh's own stdin is not one (a pipe); the user asked for one.
        List<String> words = command.stream().map(ExecCommand::quote).toList();
        return SshCommand.argv(target, keyFile, knownHostsFile, List.of(tty ? "-tt" : "-T"), words);
    }

    /**
     * {@code word} in single quotes, each {@code '} as {@code '\''}: a POSIX shell reads it back as
     * exactly {@code word}. Every word is quoted, even plain ones, because an unquoted first word
     * can be a reserved word ({@code if}, {@code time}) or an assignment ({@code A=b}) to the
     * shell, where the user meant a program. csh and fish read some quoted characters differently;
     * banger's guests log in with sh or bash.
     */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
