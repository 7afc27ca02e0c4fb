package dev.banger.image;

/** Root's shell start-up files in every image. Stateless and thread-safe. */
final class RootShell {
    private RootShell() {}

    static String bashrc(boolean activateMise) {
        return bashrc(activateMise, "$HOME/.local/bin");
    }

    /** With {@code extraPath} appended to root's PATH for every bash, interactive or not. */
    static String bashrc(boolean activateMise, String extraPath) {
        String mise = activateMise
                ? """

                # mise: pinned tool versions per project
                if command -v mise >/dev/null 2>&1; then
                    eval "$(mise activate bash)"
                fi
                """
                : "";
        return """
                # ~/.bashrc for root in a banger guest.
                export PATH=%s:%s

                # Everything below is for interactive shells only.
                case $- in
                    *i*) ;;
                    *) return ;;
                esac

                HISTCONTROL=ignoreboth
                HISTSIZE=10000
                HISTFILESIZE=20000
                shopt -s histappend checkwinsize

                PS1='\\[\\e[1;32m\\]\\u@\\h\\[\\e[0m\\]:\\[\\e[1;34m\\]\\w\\[\\e[0m\\]\\$ '

                alias ls='ls --color=auto'
                alias ll='ls -alF'
                alias grep='grep --color=auto'

                if [ -r /usr/share/bash-completion/bash_completion ]; then
                    . /usr/share/bash-completion/bash_completion
                fi
                """.formatted(GuestCustomisation.ROOT_PATH, extraPath) + mise;
    }

    static String profile() {
        return """
                # ~/.profile for root in a banger guest: login shells read this, bash then reads ~/.bashrc.
                export PATH=%s:$HOME/.local/bin
                if [ -n "${BASH_VERSION:-}" ] && [ -f "$HOME/.bashrc" ]; then
                    . "$HOME/.bashrc"
                fi
                mesg n 2>/dev/null || true
                """.formatted(GuestCustomisation.ROOT_PATH);
    }

    /** Sourced by every login shell, of any sh, so it only activates mise in interactive bash. */
    static String miseProfile() {
        return """
                # banger: activate mise for interactive bash login shells.
                case $- in
                    *i*)
                        if [ -n "${BASH_VERSION:-}" ] && command -v mise >/dev/null 2>&1; then
                            eval "$(mise activate bash)"
                        fi
                        ;;
                esac
                """;
    }
}
