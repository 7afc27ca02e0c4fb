package dev.banger.cli;

import dev.banger.cli.CompletionModel.Flag;
import dev.banger.cli.CompletionModel.Node;
import dev.banger.cli.CompletionModel.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The fish completion script of {@code banger completion fish}: one {@code complete -c banger}
 * line per subcommand, flag and positional parameter of the {@link CompletionModel}, each under the
 * condition {@code __banger_at PATH} (the words typed so far name exactly that command). Pure and stateless.
 */
final class FishCompletion {
    private FishCompletion() {}

    static String script(CompletionModel model) {
        List<String> lines = new ArrayList<>();
        lines.add("""
                # fish completion for banger, written by `banger completion fish`; write it again after an upgrade.
                # VM and image names come from `banger completion names vm|image`, which asks a running
                # bangerd and prints nothing when none runs (it never starts one).

                set -g __banger_paths @PATHS@

                function __banger_at --description 'Whether the words typed name exactly the banger command in argv'
                    set -l got
                    for token in (commandline -opc)[2..-1]
                        string match -q -- '-*' $token; and continue
                        set -l next $got $token
                        contains -- "$next" $__banger_paths; or break
                        set got $next
                    end
                    test "$got" = "$argv"
                end

                function __banger_names --description 'VM or image names from a running bangerd'
                    set -l self (commandline -opc)[1]
                    string match -q -- '*/*' $self; and test -x $self; or set self banger
                    command -q $self; and command $self completion names $argv[1] 2>/dev/null
                end

                complete -c banger -f"""
                .replace("@PATHS@", model.nodes().stream().skip(1).map(n -> BashCompletion.quote(n.pathText()))
                        .collect(Collectors.joining(" "))));
        for (Node node : model.nodes()) {
            String at = "complete -c banger -n " + BashCompletion.quote(("__banger_at " + node.pathText()).strip());
            for (Node child : node.subcommands()) {
                lines.add(at + " -a " + child.name() + description(child.description()));
            }
            for (Flag flag : node.flags()) {
                lines.add(at + flag.names().stream().map(FishCompletion::option).collect(Collectors.joining())
                        + (flag.takesValue() ? value(flag.values()) : "") + description(flag.description()));
            }
            if (node.positional().count() > 0 && node.positional().values().kind() != CompletionModel.Kind.NONE) {
                lines.add(at + positional(node.positional().values()));
            }
        }
        return String.join("\n", lines) + "\n";
    }

    private static String option(String name) {
        if (name.startsWith("--")) {
            return " -l " + name.substring(2);
        }
        return name.length() == 2 ? " -s " + name.substring(1) : " -o " + name.substring(1);
    }

    /** The arguments that make fish complete a flag's value. */
    private static String value(Values values) {
        return switch (values.kind()) {
            case NONE -> " -x";
            case FILE -> " -r -F";
            default -> " -x" + positional(values);
        };
    }

    private static String positional(Values values) {
        return switch (values.kind()) {
            case NONE -> "";
            case FILE -> " -F";
            case WORDS -> " -a " + BashCompletion.quote(String.join(" ", values.words()));
            case VM, IMAGE -> " -a " + BashCompletion.quote("(__banger_names " + BashCompletion.kind(values) + ")");
        };
    }

    private static String description(String text) {
        return text.isEmpty() ? "" : " -d " + BashCompletion.quote(text);
    }
}
