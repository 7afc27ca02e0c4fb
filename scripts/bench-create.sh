#!/usr/bin/env bash
# The create wall-time benchmark on this host: in a network namespace of its own, with its own
# state and the cached Debian minimal image (scripts/lib/sandbox.sh), a bangerd with a warm TAP
# pool runs `banger bench create` with the arguments given, e.g.
#
#   scripts/bench-create.sh --runs 3 --compare-slow-path
#   scripts/bench-create.sh --runs 2 --parallel 8 --json
#   make bench-create ARGS="--runs 2"
#
# --vmm qemu|firecracker (first argument, default qemu) picks the backend; --keep leaves the
# sandbox in place. Every other argument goes to `banger bench create` (see its --help).
set -euo pipefail

vmm=qemu
keep=0
args=()
while [ $# -gt 0 ]; do
    case $1 in
        --vmm) vmm=$2; shift 2 ;;
        --keep) keep=1; shift ;;
        *) args+=("$1"); shift ;;
    esac
done
case $vmm in qemu|firecracker) ;; *) echo "bench: --vmm takes qemu or firecracker" >&2; exit 2 ;; esac
# A warm TAP and a warm machine for each of up to 8 creates at once: the fast path takes both from the pools.
export BANGER_SANDBOX_TAPS=8 BANGER_SANDBOX_WARM=8
. "$(dirname "$0")/lib/sandbox.sh"
sandbox_init bench "$vmm" "$keep"
sandbox_cached_image
sandbox_start default "$cached"
step "banger bench create ${args[*]:-}"
b bench create --image default "${args[@]}" || fail "bench create"
