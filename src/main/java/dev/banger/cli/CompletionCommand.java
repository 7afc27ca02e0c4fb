package dev.banger.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code banger completion bash|zsh|fish}: prints the shell's completion script, written from the
 * whole command tree ({@link CompletionModel}), so every command and flag is in it. Not thread-safe.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "",
        description = {"Print the completion script of bash, zsh or fish.",
            "Try it with: source <(banger completion bash); make install puts the three where the shells look."})
final class CompletionCommand implements Callable<Integer> {
    /** The shells; lower case, as the user types them. */
    enum Shell { bash, zsh, fish }

    @Spec
    CommandSpec spec;

    // Optional for picocli, so that the hidden `completion names` needs no shell before it; call() requires it.
    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", description = "bash, zsh or fish.")
    Shell shell;

    @Override
    public Integer call() {
        if (shell == null) {
            throw new ParameterException(spec.commandLine(), "a shell is required: banger completion bash, zsh or fish");
        }
        CompletionModel model = CompletionModel.of(CommandTree.full());
        String script = switch (shell) {
            case bash -> BashCompletion.script(model);
            case zsh -> ZshCompletion.script(model);
            case fish -> FishCompletion.script(model);
        };
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
