package dev.banger.cli;

/**
 * The zsh completion script of {@code banger completion zsh}: a {@code #compdef} function for
 * {@code site-functions/_banger}, native rather than bash's script under {@code bashcompinit}, so
 * nothing has to be loaded first. It shares {@link BashCompletion#specFunction} (the data, in syntax
 * both shells run) and walks {@code words} as bash's script walks {@code COMP_WORDS}. Pure and stateless.
 */
final class ZshCompletion {
    private ZshCompletion() {}

    static String script(CompletionModel model) {
        return """
                #compdef banger
                # zsh completion for banger, written by `banger completion zsh`; write it again after an upgrade.
                # VM and image names come from `banger completion names vm|image`, which asks a running
                # bangerd and prints nothing when none runs (it never starts one).

                @SPEC@
                _banger_values() {
                    # Completes a value of kind $1 (none, file, vm, image or words:a:b) with the launcher $2.
                    local -a names
                    case $1 in
                    vm | image)
                        names=(${(f)"$("$2" completion names "$1" 2>/dev/null)"})
                        compadd -a names
                        ;;
                    file) _files ;;
                    words:*) compadd -- ${(s.:.)${1#words:}} ;;
                    esac
                }

                _banger() {
                    local self=${words[1]} at= given=0 value= word pair i
                    local subs flags valued pos count
                    [[ $self == */* && -x $self ]] || self=banger
                    _banger_spec ''
                    for ((i = 2; i < CURRENT; i++)); do
                        word=${words[i]}
                        if [[ -n $value ]]; then
                            value=
                            continue
                        fi
                        case $word in
                        --) return 1 ;;
                        -*) for pair in ${=valued}; do [[ ${pair%%=*} == "$word" ]] && value=1; done ;;
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
                        for pair in ${=valued}; do
                            [[ ${pair%%=*} == "${words[CURRENT - 1]}" ]] && _banger_values "${pair#*=}" "$self"
                        done
                    elif [[ ${words[CURRENT]} == -* ]]; then
                        compadd -- ${=flags}
                    elif [[ -n $subs ]] && ((given == 0)); then
                        compadd -- ${=subs}
                    elif ((given < count)); then
                        _banger_values "$pos" "$self"
                    fi
                }

                _banger "$@"
                """.replace("@SPEC@", BashCompletion.specFunction(model));
    }
}
