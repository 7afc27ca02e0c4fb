#!/usr/bin/env bash
# End-to-end proof that banger boots real guests: in a network namespace of its own, with its own
# state, runtime and config, a bangerd creates a VM from the Debian minimal image, reaches it over
# SSH, keeps /root across stop/start/restart, grows its disk, deletes it, then creates three VMs
# and deletes them in one call, and checks that nothing is left behind.
#
#   scripts/verify.sh [--vmm qemu|firecracker] [--image NAME] [--demo] [--image-only] [--keep]
#
# --vmm      backend (default: qemu; firecracker needs a KVM host and the firecracker binary)
# --image    use the image NAME built on this host (its files under $BANGER_VERIFY_IMAGES, default
#            /var/lib/banger/images/NAME) instead of the cached minimal build; a dev-profile image
#            is also checked for opencode and mise; with --image void-exp (the Void Linux image,
#            `make verify-void`, see docs/void.md) `mise --version` and `opencode --version` must
#            run in root's bash over SSH
# --demo     the README's main job only: one VM, `uname -a` over SSH, the create stage timings, delete
# --image-only  build and cache the minimal image, then stop (make test-faults boots its guests from it)
# --keep     leave the namespace, daemon and state in place for inspection
#
# The minimal image is built once (outside the namespace, where the Debian mirror is reachable) and
# cached under $BANGER_CACHE_DIR/verify-images, keyed by what goes into it (scripts/lib/sandbox.sh).
set -euo pipefail

vmm=qemu
image=
demo=0
image_only=0
keep=0
while [ $# -gt 0 ]; do
    case $1 in
        --vmm) vmm=$2; shift 2 ;;
        --image) image=$2; shift 2 ;;
        --demo) demo=1; shift ;;
        --image-only) image_only=1; shift ;;
        --keep) keep=1; shift ;;
        *) echo "verify: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
case $vmm in qemu|firecracker) ;; *) echo "verify: --vmm takes qemu or firecracker" >&2; exit 2 ;; esac
# The daemon's default size is the one create() asks for, so the warm machine waiting for the
# default image at the default size is the one v1 gets.
export BANGER_SANDBOX_VM='vcpus = 1
memory = "512M"
disk = "2G"'
. "$(dirname "$0")/lib/sandbox.sh"
sandbox_init verify "$vmm" "$keep"

if [ -z "$image" ]; then
    sandbox_cached_image
    [ "$image_only" = 0 ] || { echo "verify: the minimal image is cached in $cached"; exit 0; }
    source_dir=$cached
    image=default
else
    source_dir=${BANGER_VERIFY_IMAGES:-/var/lib/banger/images}/$image
    [ -f "$source_dir/rootfs.ext4" ] || { echo "verify: no image files in $source_dir; build the image first or set BANGER_VERIFY_IMAGES" >&2; exit 1; }
fi
sandbox_start "$image" "$source_dir"

create() {
    b vm create "$@" --image "$image" --vcpus 1 --memory 512 --disk 2
}
ssh_vm() {
    local name=$1; shift
    b vm ssh "$name" -- "$@" </dev/null
}

if [ "$demo" = 1 ]; then
    step "create demo (each stage with its duration)"
    create demo || fail "create"
    step "uname -a in the guest, over SSH"
    ssh_vm demo uname -a || fail "ssh"
    step "delete"
    b vm delete demo || fail "delete"
    exit 0
fi

step "image verify: a throwaway VM from the image, checked and deleted"
b image verify "$image" || fail "image verify $image"
b image show "$image" --json | grep -q "\"name\":\"$image\"" || fail "image show"
[ -z "$(ls -A "$BANGER_STATE_DIR/vms" 2>/dev/null)" ] || fail "image verify left a VM dir behind"

step "create v1 (--cold: it boots, from the warm pool)"
create v1 --cold || fail "create v1"
b vm show v1 | grep -q "vmm: *$vmm" || fail "vm show does not say the backend is $vmm"
if [ "$vmm" = qemu ]; then
    # Started paused before v1 was asked for; its guest learnt its name and address from the config drive.
    grep -q "VM v1: qemu pid [0-9]* from the warm pool" "$BANGER_STATE_DIR/bangerd.log" || fail "v1 did not come from the warm pool"
fi
step "agent health"
b vm health v1 --json | grep -qi '"status":"ok"' || fail "agent health is not ok"
step "ssh"
ssh_vm v1 uname -a | grep -q Linux || fail "uname over ssh"
step "/root is the work disk, mounted from the VM's configuration (banger-mounts), not the image's fstab"
[ "$(ssh_vm v1 'blkid -o value -s LABEL "$(findmnt -n -o SOURCE /root)"')" = banger-work ] || fail "/root in v1 is not the work disk"
ssh_vm v1 'grep -v "^#" /etc/fstab' | grep -q '/root' && fail "the image's fstab still mounts /root"
ssh_vm v1 'command -v systemctl >/dev/null || exit 0; systemctl is-active --quiet banger-mounts.service' \
    || fail "banger-mounts.service is not active in v1"
step "shares: a host directory written from the guest and read on the host (and refused when read-only)"
share_rw=$(mktemp -d "$work/share-rw.XXXXXX"); share_ro=$(mktemp -d "$work/share-ro.XXXXXX")
chmod 755 "$share_rw" "$share_ro"; echo "from the host" > "$share_ro/r.txt"
b vm share v1 "$share_rw:/mnt/rw" || fail "vm share v1 $share_rw:/mnt/rw"
b vm share v1 "$share_ro:/mnt/ro:ro" || fail "vm share v1 $share_ro:/mnt/ro:ro"
b vm exec v1 -- sh -c 'echo from the guest > /mnt/rw/g.txt' </dev/null || fail "write /mnt/rw/g.txt in the guest"
[ "$(cat "$share_rw/g.txt")" = "from the guest" ] || fail "the host does not see what the guest wrote to /mnt/rw"
[ "$(b vm exec v1 -- cat /mnt/ro/r.txt </dev/null)" = "from the host" ] || fail "the guest cannot read /mnt/ro"
if b vm exec v1 -- sh -c 'echo x > /mnt/ro/nope.txt' </dev/null 2>/dev/null; then fail "a read-only share took a write"; fi
[ ! -e "$share_ro/nope.txt" ] || fail "a read-only share was written"
b vm show v1 | grep -q "/mnt/ro <- $share_ro (read-only)" || fail "vm show does not list the shares"
b vm unshare v1 /mnt/ro || fail "vm unshare v1 /mnt/ro"
b vm exec v1 -- sh -c '! grep -q " /mnt/ro fuse.sshfs " /proc/mounts' </dev/null || fail "/mnt/ro still mounted after unshare"
step "--json says the text's words"
b vm show v1 | grep -q '^state: *running$' || fail "vm show does not say running"
b vm show v1 --json | grep -q '"state":"running"' || fail "vm show --json does not say \"running\""
b vm list --json | grep -q '"state":"running"' || fail "vm list --json (quick path) does not say \"running\""
b image list --json | grep -Eq '"status":"(ready|needs-rebuild|needs-work-seed)"' || fail "image list --json: status is not the text's word"
step "shell completion: the scripts parse; names come from the running daemon"
b completion bash | bash -n || fail "completion bash is not valid bash"
b completion bash | grep -q "^    'vm start')" || fail "completion bash does not know vm start"
b completion names vm | grep -qx v1 || fail "completion names vm does not list v1"
b completion names image | grep -qx "$image" || fail "completion names image does not list $image"
step "exec: the guest's exit code and argv as typed; cp: 1 MiB in and back out unchanged"
rc=0; b vm exec v1 -- sh -c 'exit 7' </dev/null || rc=$?
[ "$rc" = 7 ] || fail "vm exec v1 -- sh -c 'exit 7' exited $rc, not 7"
[ "$(b vm exec v1 -- printf '[%s]' 'a b' "it's" '$HOME' </dev/null)" = "[a b][it's][\$HOME]" ] || fail "vm exec changed the argv"
cp_dir=$(mktemp -d "$work/cp.XXXXXX")
head -c 1048576 /dev/urandom >"$cp_dir/in file"
b vm cp "$cp_dir/in file" "v1:/root/copy in" || fail "vm cp into v1"
b vm cp "v1:/root/copy in" "$cp_dir/out file" || fail "vm cp out of v1"
[ "$(sha256sum <"$cp_dir/in file")" = "$(sha256sum <"$cp_dir/out file")" ] || fail "vm cp: the copy back differs (sha256)"
if [ "$image" = void-exp ]; then
    # Root's login bash is what a user gets; it puts mise and its shims (where opencode lives) on PATH.
    step "Void: mise and opencode run in root's bash"
    ssh_vm v1 "bash -lc 'mise --version'" || fail "mise --version in the Void guest"
    ssh_vm v1 "bash -lc 'opencode --version'" || fail "opencode --version in the Void guest"
fi
ip=$(b vm show v1 --json | sed -n 's/.*"ip":"\([0-9.]*\)".*/\1/p')
step "DNS: the guest resolves its own name through the daemon's DNS server"
ssh_vm v1 getent hosts v1.banger.internal | grep -q "^$ip " || fail "v1.banger.internal does not resolve to $ip in the guest"
step "DNS: the host side resolves v1's name through the daemon's DNS server on the bridge"
[ "$(in_ns dig +short +time=2 +tries=2 @"${ip%.*}.1" v1.banger.internal A)" = "$ip" ] \
    || fail "v1.banger.internal does not resolve to $ip through the daemon's DNS server from the host side"
ssh_vm v1 'echo kept-across-reboots > /root/marker && sync' || fail "write /root/marker"
step "stop, start: /root survives"
b vm stop v1 || fail "stop"
b vm start v1 || fail "start"
[ "$(ssh_vm v1 cat /root/marker)" = kept-across-reboots ] || fail "/root/marker lost after stop/start"
[ "$(b vm exec v1 -- cat /mnt/rw/g.txt </dev/null)" = "from the guest" ] || fail "the share is not mounted again after start"
step "restart: /root survives"
b vm restart v1 || fail "restart"
[ "$(ssh_vm v1 cat /root/marker)" = kept-across-reboots ] || fail "/root/marker lost after restart"
step "edit grows the disk and the guest sees it"
before=$(ssh_vm v1 df -B1 --output=size /root | tail -n 1 | tr -d ' ')
b vm stop v1 || fail "stop before edit"
b vm edit v1 --disk 3 || fail "edit"
b vm start v1 || fail "start after edit"
after=$(ssh_vm v1 df -B1 --output=size /root | tail -n 1 | tr -d ' ')
[ "$after" -gt "$before" ] || fail "/root did not grow: $before -> $after bytes"
[ "$(ssh_vm v1 cat /root/marker)" = kept-across-reboots ] || fail "/root/marker lost after growing the disk"
b vm stats v1 || fail "stats"
step "delete v1"
b vm delete v1 || fail "delete v1"

if [ "$vmm" = qemu ]; then
    # The image verify's create booted cold, so a snapshot of this shape is being made in the background.
    step "golden snapshot: made in the background after the first cold create, listed by image show"
    deadline=$((SECONDS + 240))
    until b image show "$image" | grep -q '^  1 vCPU, 512 MiB, qemu'; do
        [ $SECONDS -lt $deadline ] || fail "no snapshot of $image listed within 240 s: $(b image show "$image")"
        sleep 2
    done
    step "image snapshot: made again on demand"
    b image snapshot "$image" --vcpus 1 --memory 512 || fail "image snapshot"
    step "two VMs restored from one snapshot"
    for n in r1 r2; do
        create "$n" >"$work/create-$n.log" 2>&1 || { cat "$work/create-$n.log" >&2; fail "create $n"; }
        grep -q 'restore' "$work/create-$n.log" || fail "$n did not restore: $(cat "$work/create-$n.log")"
        grep -q 'identity' "$work/create-$n.log" || fail "$n took no identity: $(cat "$work/create-$n.log")"
    done
    cat "$work/create-r2.log"
    step "each has its own hostname, address, MAC, host key, machine-id and randomness"
    identity='hostname; ip -4 -o addr show scope global | awk "{print \$4}"; cat /sys/class/net/*/address | grep -v 00:00:00:00:00:00;
cat /etc/ssh/ssh_host_ed25519_key.pub | cut -d" " -f2; cat /etc/machine-id; head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n"; echo'
    ssh_vm r1 "$identity" >"$work/id-r1" || fail "read r1's identity"
    ssh_vm r2 "$identity" >"$work/id-r2" || fail "read r2's identity"
    [ "$(wc -l <"$work/id-r1")" -ge 6 ] || fail "r1's identity is incomplete: $(cat "$work/id-r1")"
    for line in 1 2 3 4 5 6; do
        a=$(sed -n "${line}p" "$work/id-r1"); c=$(sed -n "${line}p" "$work/id-r2")
        [ -n "$a" ] && [ "$a" != "$c" ] || fail "r1 and r2 share line $line of their identity: '$a'"
    done
    [ "$(sed -n 1p "$work/id-r1")" = r1 ] || fail "r1's hostname is $(sed -n 1p "$work/id-r1")"
    step "both answer DNS; /root is each VM's own"
    ssh_vm r1 getent hosts r2.banger.internal >/dev/null || fail "r2.banger.internal does not resolve in r1"
    ssh_vm r2 getent hosts r1.banger.internal >/dev/null || fail "r1.banger.internal does not resolve in r2"
    ssh_vm r1 'echo only-in-r1 > /root/restored-marker && sync' || fail "write r1's marker"
    ssh_vm r2 test ! -e /root/restored-marker || fail "r1's /root file shows in r2"
    step "a restored VM keeps its identity across stop and start"
    b vm stop r1 || fail "stop r1"
    b vm start r1 || fail "start r1"
    ssh_vm r1 "$identity" >"$work/id-r1-again" || fail "read r1's identity after start"
    for line in 1 2 3 4 5; do
        [ "$(sed -n "${line}p" "$work/id-r1")" = "$(sed -n "${line}p" "$work/id-r1-again")" ] \
            || fail "r1's identity line $line changed across stop/start"
    done
    [ "$(ssh_vm r1 cat /root/restored-marker)" = only-in-r1 ] || fail "r1's /root file lost across stop/start"
    b vm delete r1 r2 || fail "delete r1 r2"
    step "image snapshot --delete removes it"
    b image snapshot "$image" --delete || fail "image snapshot --delete"
    b image show "$image" | grep -q '^  1 vCPU, 512 MiB, qemu' && fail "the snapshot is still listed after --delete"
    [ -z "$(ls -A "$BANGER_STATE_DIR/images/$image/snapshots" 2>/dev/null)" ] || fail "snapshot files remain: $(ls "$BANGER_STATE_DIR/images/$image/snapshots")"
fi

step "publish: --publish 127.0.0.1:2222:22 carries the guest's sshd banner through the host's loopback; stop, start, port add/rm and delete take it out and back"
banner() { in_ns timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && head -c 7 <&3" 2>/dev/null || true; }
create p1 --publish 127.0.0.1:2222:22 || fail "create p1 --publish 127.0.0.1:2222:22"
b vm port list p1 | grep -Eq '^127\.0\.0\.1:2222 +[0-9.]+:22 +tcp' || fail "vm port list p1 does not list 127.0.0.1:2222 -> 22: $(b vm port list p1)"
b vm show p1 --json | grep -q '"hostPort":2222' || fail "vm show p1 --json does not list the forward"
[ "$(banner 2222)" = SSH-2.0 ] || fail "no SSH banner through 127.0.0.1:2222"
rc=0; create p2 --publish 2222:22 >"$work/create-p2.log" 2>&1 || rc=$?
[ "$rc" = 4 ] && grep -q "already published by VM 'p1'" "$work/create-p2.log" \
    || fail "a second VM publishing 2222 was not refused as a conflict (exit $rc): $(cat "$work/create-p2.log")"
b vm show p2 >/dev/null 2>&1 && fail "the refused create left a VM p2"
b vm stop p1 || fail "stop p1"
[ -z "$(banner 2222)" ] || fail "127.0.0.1:2222 still answers with p1 stopped"
b vm port rm p1 2222 || fail "vm port rm on the stopped p1"
b vm port add p1 2223:22 || fail "vm port add on the stopped p1"
b vm start p1 || fail "start p1"
[ "$(banner 2223)" = SSH-2.0 ] || fail "127.0.0.1:2223 does not answer after start"
[ -z "$(banner 2222)" ] || fail "127.0.0.1:2222 answers though it was removed while p1 was stopped"
b vm port rm p1 127.0.0.1:2223/tcp || fail "vm port rm on the running p1"
[ -z "$(banner 2223)" ] || fail "127.0.0.1:2223 still answers after vm port rm"
b vm port add p1 2222:22 || fail "vm port add on the running p1"
[ "$(banner 2222)" = SSH-2.0 ] || fail "127.0.0.1:2222 does not answer right after vm port add"
b vm delete p1 || fail "delete p1"
[ -z "$(banner 2222)" ] || fail "127.0.0.1:2222 still answers after delete"

step "three VMs, deleted with one call"
pids=()
for n in a b c; do
    create "$n" >"$work/create-$n.log" 2>&1 &
    pids+=($!)
done
for i in 0 1 2; do
    n=$(printf 'abc' | cut -c$((i + 1)))
    wait "${pids[$i]}" || { cat "$work/create-$n.log" >&2; fail "create $n"; }
done
b vm delete a b c || fail "delete a b c"

step "nothing left behind"
for pid in $(pgrep -f -- "$BANGER_STATE_DIR/(vms|warm)/" || true); do
    # Machines waiting in warm/ are the daemon's; one that became a VM (moved into vms/) must be gone.
    if ls -l "/proc/$pid/fd" 2>/dev/null | grep -q -- "$BANGER_STATE_DIR/vms/"; then
        fail "a VMM process of a deleted VM still runs: $(ps -o pid=,args= -p "$pid")"
    fi
done
leftover_taps=$(ip -n "$ns" -o link show type tun 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -v '^tap-pool-' || true)
[ -z "$leftover_taps" ] || fail "TAPs other than tap-pool-* remain: $leftover_taps"
if in_ns nft list tables 2>/dev/null | grep -q banger; then fail "nftables NAT rules remain"; fi
if in_ns iptables -t nat -S 2>/dev/null | grep -q 'banger:'; then fail "iptables NAT rules remain"; fi
if command -v dmsetup >/dev/null && [ -e /dev/mapper/control ] && dmsetup ls 2>/dev/null | grep -q banger; then fail "mapper devices remain"; fi
if losetup -a 2>/dev/null | grep -q -- "$work"; then fail "loop devices remain"; fi
[ -z "$(ls -A "$BANGER_STATE_DIR/vms" 2>/dev/null)" ] || fail "VM dirs remain: $(ls "$BANGER_STATE_DIR/vms")"
step "daemon stop stops the warm machines"
b daemon stop || fail "daemon stop"
[ -z "$(pgrep -f -- "$BANGER_STATE_DIR/warm/" || true)" ] || fail "warm machines outlived the daemon: $(pgrep -af -- "$BANGER_STATE_DIR/warm/")"
[ -z "$(ls -A "$BANGER_STATE_DIR/warm" 2>/dev/null)" ] || fail "warm machine dirs remain: $(ls "$BANGER_STATE_DIR/warm")"
step "completion names with no daemon: nothing, and no daemon started"
[ -z "$(b completion names vm)" ] || fail "completion names printed names with no daemon"
[ ! -S "$BANGER_RUNTIME_DIR/bangerd.sock" ] || fail "completion names started the daemon"
echo
echo "verify: ok ($vmm backend)"
