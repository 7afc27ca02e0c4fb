#!/bin/sh
# Installs into a temporary prefix as `make install PREFIX=…` would, and checks the result runs:
# launchers, jars, AOT caches, the systemd unit and the shell completions. Removes the prefix afterwards.
set -eu
prefix=$(mktemp -d /tmp/banger-install-check.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
make -s install PREFIX="$prefix" >"$prefix.log" 2>&1 || { cat "$prefix.log" >&2; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"
fail() { echo "check-install: $*" >&2; exit 1; }
for f in bin/banger bin/bangerd lib/banger/java/banger.aot lib/banger/java/bangerd.aot lib/systemd/system/bangerd.service share/banger/runtime-bundle.toml share/banger/banger.example.toml \
        share/bash-completion/completions/banger share/zsh/site-functions/_banger share/fish/vendor_completions.d/banger.fish; do
    [ -e "$prefix/$f" ] || fail "missing $f"
done
version=$("$prefix/bin/banger" --version)
case "$version" in "banger "[0-9]*) ;; *) fail "banger --version printed '$version'" ;; esac
"$prefix/bin/bangerd" --version | grep -q '^bangerd ' || fail "bangerd --version failed"
grep -q "^ExecStart=$prefix/bin/bangerd\$" "$prefix/lib/systemd/system/bangerd.service" || fail "unit does not start $prefix/bin/bangerd"
grep -q "$prefix/lib/banger/java/banger.aot" "$prefix/bin/banger" || fail "launcher does not use the installed AOT cache"
completions=$prefix/share
bash -n "$completions/bash-completion/completions/banger" || fail "the bash completion is not valid bash"
grep -q '^complete -F _banger banger$' "$completions/bash-completion/completions/banger" || fail "the bash completion registers no function"
[ "$(head -n 1 "$completions/zsh/site-functions/_banger")" = "#compdef banger" ] || fail "the zsh completion lacks its #compdef line"
grep -q "^complete -c banger -n '__banger_at vm' -a start " "$completions/fish/vendor_completions.d/banger.fish" \
    || fail "the fish completion does not complete banger vm start"
echo "check-install: ok ($version installed and runs from $prefix)"
