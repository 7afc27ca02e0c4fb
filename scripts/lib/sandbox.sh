# Shared by scripts/verify.sh and scripts/bench-create.sh (sourced, not run): a private banger in a
# network namespace of its own, with its own state, runtime and config, and the Debian minimal
# image built once and cached under $BANGER_CACHE_DIR/verify-images, keyed by what goes into it.
#
#   sandbox_init TOOL VMM KEEP   checks, env, config, traps (TOOL names the caller in messages)
#   sandbox_cached_image         sets $cached to the cached minimal image, building it if needed
#   sandbox_start IMAGE DIR      namespace, bangerd inside it, IMAGE registered from DIR's files
#
# Defines step, in_ns, b (banger inside the namespace), fail (with diagnostics) and the cleanup
# that stops the daemon, kills what the run left and removes the namespace and files.

sandbox_init() {
    tool=$1 vmm=$2 keep=$3
    [ "$(id -u)" = 0 ] || { echo "$tool: run as root (it creates a network namespace, bridge and VMs)" >&2; exit 1; }
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    banger=$root/build/bin/banger
    [ -x "$banger" ] || { echo "$tool: $banger is missing; run 'make build' first" >&2; exit 1; }
    # The runtime bundle (kernel, agent, SSH key) as the build left it; cheap when nothing changed.
    # --offline: never reaches for the Firecracker release (test hosts may have no route to GitHub);
    # it comes from the download cache, or stays as an earlier `make runtime` installed it.
    (cd "$root" && "$banger" runtime bootstrap --offline >/dev/null 2>&1) \
        || { echo "$tool: 'banger runtime bootstrap --offline' failed; run it to see why" >&2; exit 1; }
    cache=${BANGER_CACHE_DIR:-/var/cache/banger}
    export BANGER_CACHE_DIR=$cache
    work=$(mktemp -d "/tmp/banger-$tool.XXXXXX")
    ns=banger-$tool-$$
    export BANGER_STATE_DIR=$work/state BANGER_RUNTIME_DIR=$work/run BANGER_CONFIG=$work/config.toml
    cat >"$BANGER_CONFIG" <<CONFIG
vmm = "$vmm"
[network]
bridge = "b$tool"
subnet = "172.31.213.0/24"
tap_pool_size = ${BANGER_SANDBOX_TAPS:-2}
[vm]
warm_machines = ${BANGER_SANDBOX_WARM:-1}
${BANGER_SANDBOX_VM:-}
[daemon]
group = "root"
CONFIG
    trap sandbox_cleanup EXIT INT TERM
}

step() { printf '\n== %s\n' "$*"; }
in_ns() { ip netns exec "$ns" "$@"; }
b() { in_ns "$banger" "$@"; }

fail() {
    echo "$tool: FAILED: $*" >&2
    sandbox_diagnostics >&2 || true
    exit 1
}

sandbox_diagnostics() {
    echo "--- VMs"
    b vm list --json 2>&1 || true
    for vm_dir in "$BANGER_STATE_DIR"/vms/*; do
        [ -d "$vm_dir" ] || continue
        echo "--- $vm_dir"; ls -la "$vm_dir"
        for log in "$vm_dir"/console.log "$vm_dir"/firecracker.log; do
            [ -f "$log" ] && { echo "--- tail of $log"; tail -n 60 "$log"; }
        done
    done
    echo "--- bangerd.log"; tail -n 80 "$BANGER_STATE_DIR/bangerd.log" 2>/dev/null || true
    echo "--- links in $ns"; ip -n "$ns" -d link show 2>/dev/null || true
    echo "--- sockets"; ls -la "$BANGER_RUNTIME_DIR" 2>/dev/null || true
    echo "--- NAT rules"; in_ns nft list ruleset 2>/dev/null || true; in_ns iptables -t nat -S 2>/dev/null || true
}

sandbox_cleanup() {
    status=$?
    if [ "$keep" = 1 ]; then
        echo "$tool: kept namespace $ns and $work (BANGER_STATE_DIR=$BANGER_STATE_DIR BANGER_RUNTIME_DIR=$BANGER_RUNTIME_DIR)"
        exit $status
    fi
    b daemon stop >/dev/null 2>&1 || true
    BANGER_RUNTIME_DIR=$work/build-run "$banger" daemon stop >/dev/null 2>&1 || true
    # Whatever a failed run left: VMM processes of this run, then the namespace and files.
    for pid in $(pgrep -f -- "$work" || true); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
    exit $status
}

sandbox_cached_image() {
    local key built f
    key=$(cat "$root/config/packages.debian" "$root"/src/main/java/dev/banger/image/*.java \
            "$root/build/runtime/agent/banger-agent" "$root/build/runtime/ssh/id_ed25519.pub" | sha256sum | cut -c1-16)
    cached=$cache/verify-images/debian-minimal-$key
    [ -f "$cached/rootfs.ext4" ] && return 0
    step "building the Debian minimal image (cached afterwards in $cached)"
    # A daemon outside the namespace, used for the build only: with no VMs it touches no network.
    BANGER_RUNTIME_DIR=$work/build-run "$banger" image build --name default --profile minimal --size 2G
    built=$BANGER_STATE_DIR/images/default
    mkdir -p "$cache/verify-images"
    rm -rf "$cached.tmp" && mkdir -p "$cached.tmp"
    for f in vmlinux initrd.img rootfs.ext4 work-seed.ext4 manifest.json; do
        cp --sparse=always "$built/$f" "$cached.tmp/$f"
    done
    mv "$cached.tmp" "$cached"
    # Older builds of the image are of no further use.
    find "$cache/verify-images" -mindepth 1 -maxdepth 1 -name 'debian-minimal-*' ! -path "$cached" -exec rm -rf {} +
    BANGER_RUNTIME_DIR=$work/build-run "$banger" image delete default >/dev/null
    BANGER_RUNTIME_DIR=$work/build-run "$banger" daemon stop >/dev/null
}

sandbox_start() {
    local name=$1 dir=$2
    step "network namespace $ns and bangerd inside it"
    ip netns add "$ns"
    in_ns ip link set lo up
    b daemon start
    [ -f "$dir/rootfs.ext4" ] || fail "no image files in $dir"
    b image register --name "$name" --kernel "$dir/vmlinux" --initrd "$dir/initrd.img" \
        --rootfs "$dir/rootfs.ext4" --work-seed "$dir/work-seed.ext4"
}
