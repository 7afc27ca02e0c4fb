#!/bin/sh
# Installs into a temporary prefix as `make install PREFIX=…` would, and checks the result runs:
# launchers, jars, AOT caches and the systemd unit. Removes the prefix afterwards.
set -eu
prefix=$(mktemp -d /tmp/banger-install-check.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
make -s install PREFIX="$prefix" >"$prefix.log" 2>&1 || { cat "$prefix.log" >&2; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"
fail() { echo "check-install: $*" >&2; exit 1; }
for f in bin/banger bin/bangerd lib/banger/java/banger.aot lib/banger/java/bangerd.aot lib/systemd/system/bangerd.service share/banger/runtime-bundle.toml share/banger/banger.example.toml; do
    [ -e "$prefix/$f" ] || fail "missing $f"
done
version=$("$prefix/bin/banger" --version)
case "$version" in "banger "[0-9]*) ;; *) fail "banger --version printed '$version'" ;; esac
"$prefix/bin/bangerd" --version | grep -q '^bangerd ' || fail "bangerd --version failed"
grep -q "^ExecStart=$prefix/bin/bangerd\$" "$prefix/lib/systemd/system/bangerd.service" || fail "unit does not start $prefix/bin/bangerd"
grep -q "$prefix/lib/banger/java/banger.aot" "$prefix/bin/banger" || fail "launcher does not use the installed AOT cache"
echo "check-install: ok ($version installed and runs from $prefix)"
