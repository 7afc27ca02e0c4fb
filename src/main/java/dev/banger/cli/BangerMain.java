package dev.banger.cli;

import dev.banger.config.BangerPaths;
import java.io.PrintWriter;
import java.util.List;
import java.util.OptionalInt;

import picocli.CommandLine;

/** Entry point of the {@code banger} launcher. */
public final class BangerMain {
    private BangerMain() {}

    /**
     * What {@code scripts/make-launchers.sh} trains the AOT cache on, against a daemon it started
     * on throwaway dirs: the calls users make most, so their classes start loaded and linked.
     */
    static final List<List<String>> AOT_TRAINING = List.of(
            List.of("daemon", "status"), List.of("daemon", "status", "--json"),
            List.of("vm", "list"), List.of("vm", "list", "--json"),
            List.of("image", "list"), List.of("image", "list", "--json"),
            List.of("vm", "show", "aot-training"));

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--aot-training")) {
            AOT_TRAINING.forEach(argv -> run(argv.toArray(String[]::new)));
            quick(new String[] {"vm", "list"});
            System.exit(0);
        }
        OptionalInt answered = quick(args);
        System.exit(answered.isPresent() ? answered.getAsInt() : run(args));
    }

    /**
     * The commands answered without building picocli's model ({@link QuickVmList}, {@link CompletionNames});
     * empty when the full command must run.
     */
    private static OptionalInt quick(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, System.out.charset());
        OptionalInt names = CompletionNames.quick(args, BangerPaths.fromEnvironment(), out);
        return names.isPresent() ? names : QuickVmList.run(args, BangerPaths.fromEnvironment(), out);
    }

    /** Runs one command line with only the commands it names built (see {@link CommandTree}). */
    static int run(String[] args) {
        return configure(CommandTree.forArgs(args)).execute(args);
    }

    /** The configured command line; tests run commands through it in-process. */
    public static CommandLine commandLine() {
        return configure(CommandTree.full());
    }

    private static CommandLine configure(CommandLine commandLine) {
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
