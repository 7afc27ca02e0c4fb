package dev.banger.cli;

import dev.banger.cli.CompletionModel.Flag;
import dev.banger.cli.CompletionModel.Node;
import dev.banger.cli.CompletionModel.Values;
import java.util.stream.Collectors;

/**
 * The bash completion script of {@code banger completion bash}, written from a {@link CompletionModel}.
 * picocli's own generator ({@code picocli.AutoComplete}) is not used: the build compiles only
 * {@code CommandLine.java} of picocli's source (see pom.xml), and AutoComplete's scripts have no way
 * to ask for names at completion time. The script holds one data function ({@code _banger_spec},
 * a case per command path, in syntax zsh runs as well: {@link ZshCompletion} shares it) and a
 * small walker over the words typed. Pure and stateless.
 */
final class BashCompletion {
    private BashCompletion() {}

    static String script(CompletionModel model) {
        return """
                # bash completion for banger, written by `banger completion bash`; write it again after an upgrade.
                # VM and image names come from `banger completion names vm|image`, which asks a running
                # bangerd and prints nothing when none runs (it never starts one).

                @SPEC@
                _banger_values() {
                    # Completes a value of kind $1 (none, file, vm, image or words:a:b) with the launcher $2.
                    local IFS=$'\\n'
                    case $1 in
                    vm | image) COMPREPLY=($(compgen -W "$("$2" completion names "$1" 2>/dev/null)" -- "$cur")) ;;
                    file)
                        compopt -o filenames 2>/dev/null
                        COMPREPLY=($(compgen -f -- "$cur"))
                        ;;
                    words:*)
                        local words=${1#words:}
                        COMPREPLY=($(compgen -W "${words//:/$'\\n'}" -- "$cur"))
                        ;;
                    esac
                }

                _banger() {
                    local cur=${COMP_WORDS[COMP_CWORD]} self=${COMP_WORDS[0]} at= given=0 value= word pair i
                    local subs flags valued pos count
                    [[ $self == */* && -x $self ]] || self=banger
                    COMPREPLY=()
                    _banger_spec ''
                    for ((i = 1; i < COMP_CWORD; i++)); do
                        word=${COMP_WORDS[i]}
                        if [[ -n $value ]]; then
                            value=
                            continue
                        fi
                        case $word in
                        --) return 0 ;;
                        -*) for pair in $valued; do [[ ${pair%%=*} == "$word" ]] && value=1; done ;;
                        *)
                            if ((given == 0)) && [[ " $subs " == *" $word "* ]]; then
                                at=${at:+$at }$word
                                _banger_spec "$at"
                            else
                                ((given++))
                            fi
                            ;;
                        esac
                    done
                    if [[ -n $value ]]; then
                        for pair in $valued; do
                            [[ ${pair%%=*} == "${COMP_WORDS[COMP_CWORD - 1]}" ]] && _banger_values "${pair#*=}" "$self"
                        done
                    elif [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
                    elif [[ -n $subs ]] && ((given == 0)); then
                        COMPREPLY=($(compgen -W "$subs" -- "$cur"))
                    elif ((given < count)); then
                        _banger_values "$pos" "$self"
                    fi
                    return 0
                }

                complete -F _banger banger
                """.replace("@SPEC@", specFunction(model));
    }

    /**
     * {@code _banger_spec PATH}: sets what the command at PATH takes. {@code subs} and {@code flags}
     * are word lists, {@code valued} the flags that take a value as {@code --flag=kind} pairs,
     * {@code pos} the kind of the positional parameter and {@code count} how many words it takes.
     */
    static String specFunction(CompletionModel model) {
        String cases = model.nodes().stream().map(BashCompletion::specCase).collect(Collectors.joining());
        return """
                _banger_spec() {
                    subs= flags= valued= pos=none count=0
                    case $1 in
                @CASES@    esac
                }
                """.replace("@CASES@", cases);
    }

    private static String specCase(Node node) {
        String subs = node.subcommands().stream().map(Node::name).collect(Collectors.joining(" "));
        String flags = node.flags().stream().flatMap(f -> f.names().stream()).collect(Collectors.joining(" "));
        String valued = node.flags().stream().filter(Flag::takesValue)
                .flatMap(f -> f.names().stream().map(n -> n + "=" + kind(f.values())))
                .collect(Collectors.joining(" "));
        return "    " + quote(node.pathText()) + ")\n"
                + "        subs=" + quote(subs) + " flags=" + quote(flags) + " valued=" + quote(valued)
                + " pos=" + quote(kind(node.positional().values())) + " count=" + node.positional().count() + "\n"
                + "        ;;\n";
    }

    /** A kind as the scripts name it: {@code none}, {@code file}, {@code vm}, {@code image} or {@code words:a:b}. */
    static String kind(Values values) {
        return switch (values.kind()) {
            case WORDS -> "words:" + String.join(":", values.words());
            default -> values.kind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Single-quoted for bash, zsh and fish alike. */
    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
