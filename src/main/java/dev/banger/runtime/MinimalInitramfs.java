package dev.banger.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny initramfs: static busybox, the kernel modules needed to reach an ext4 root on virtio-blk
 * (in load order), and an {@code /init} that loads them, mounts {@code root=} and switch_roots to
 * it. Debian's cloud kernel builds virtio as modules, so its bzImage alone cannot mount a root.
 * The archive is gzip'd newc cpio with fixed owners and times, so it is reproducible. Pure
 * function of its inputs; thread-safe.
 */
public final class MinimalInitramfs {
    private MinimalInitramfs() {}

    /**
     * @param busybox       a statically linked busybox binary
     * @param kernelRelease e.g. {@code 6.1.0-56-cloud-amd64}
     * @param modules       canonical module name → .ko bytes, in load order
     */
    public static byte[] build(byte[] busybox, String kernelRelease, Map<String, byte[]> modules) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes); CpioNewcWriter cpio = new CpioNewcWriter(gzip)) {
            for (String dir : List.of("bin", "dev", "etc", "lib", "lib/modules", "lib/modules/" + kernelRelease,
                    "newroot", "proc", "run", "sbin", "sys", "tmp")) {
                cpio.directory(dir, 0755);
            }
            // The kernel opens /dev/console for /init's stdio before /init can mount devtmpfs.
            cpio.characterDevice("dev/console", 0600, 5, 1);
            cpio.file("bin/busybox", 0755, busybox);
            cpio.symlink("bin/sh", "busybox");
            String moduleDir = "lib/modules/" + kernelRelease + "/";
            for (Map.Entry<String, byte[]> module : modules.entrySet()) {
                cpio.file(moduleDir + module.getKey() + ".ko", 0644, module.getValue());
            }
            cpio.file("init", 0755, initScript(kernelRelease, List.copyOf(new LinkedHashMap<>(modules).keySet()))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The {@code /init} script. Honours {@code root=} (device, UUID= or LABEL=), {@code rootfstype=},
     * {@code rootwait}/{@code rootdelay=}, {@code ro}/{@code rw} and {@code init=}. On failure it
     * exits, so the kernel panics and — with {@code panic=1} — the VM ends instead of hanging.
     */
    static String initScript(String kernelRelease, List<String> moduleOrder) {
        return """
                #!/bin/sh
                # banger minimal initramfs: load virtio/ext4 modules, mount root=, switch_root.
                export PATH=/bin:/sbin
                /bin/busybox --install -s /bin
                mount -t devtmpfs devtmpfs /dev
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                fail() { echo "banger-initrd: $*" >&2; exit 1; }
                for m in %s; do
                    insmod /lib/modules/%s/"$m".ko || echo "banger-initrd: insmod $m failed" >&2
                done
                root= fstype=ext4 mode=ro init=/sbin/init wait=50
                for arg in $(cat /proc/cmdline); do
                    case "$arg" in
                        root=*) root="${arg#root=}" ;;
                        rootfstype=*) fstype="${arg#rootfstype=}" ;;
                        rootdelay=*) wait=$(( ${arg#rootdelay=} * 10 )) ;;
                        rootwait) wait=300 ;;
                        rw) mode=rw ;;
                        ro) mode=ro ;;
                        init=*) init="${arg#init=}" ;;
                    esac
                done
                [ -n "$root" ] || fail "no root= on the kernel command line"
                dev="$root"
                tries=0
                while :; do
                    case "$root" in
                        UUID=*|LABEL=*) dev=$(findfs "$root" 2>/dev/null) ;;
                    esac
                    [ -n "$dev" ] && [ -b "$dev" ] && break
                    tries=$((tries + 1))
                    [ "$tries" -le "$wait" ] || fail "root device $root did not appear"
                    sleep 0.1
                done
                mount -t "$fstype" -o "$mode" "$dev" /newroot || fail "cannot mount $dev ($fstype, $mode) on /newroot"
                [ -x "/newroot$init" ] || [ -L "/newroot$init" ] || fail "$init is missing on the root filesystem"
                if [ -d /newroot/dev ]; then mount --move /dev /newroot/dev; else umount /dev; fi
                umount /proc /sys
                exec switch_root /newroot "$init"
                """.formatted(String.join(" ", moduleOrder), kernelRelease);
    }
}
