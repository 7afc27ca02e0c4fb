package dev.banger.cli;

import dev.banger.config.BangerPaths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code banger completion names vm|image}, hidden: what the completion scripts call for names.
 * A launcher answers it before picocli ({@link CompletionNames#quick}); this is the same answer for
 * a run through the command tree (tests, {@code BangerMain.run}). Not thread-safe.
 */
@Command(name = "names", hidden = true, description = "Print VM or image names from a running bangerd, one a line.")
final class CompletionNamesCommand implements Callable<Integer> {
    /** The kinds of name; lower case, as the scripts pass them. */
    enum Kind { vm, image }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "vm or image.")
    Kind kind;

    /** Where the daemon's socket is; null means from the environment. Tests set it. */
    BangerPaths paths;

    @Override
    public Integer call() {
        return CompletionNames.print(kind.name(), paths == null ? BangerPaths.fromEnvironment() : paths,
                spec.commandLine().getOut());
    }
}
