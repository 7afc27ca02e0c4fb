package dev.banger.runtime;

import dev.banger.host.Command;
import dev.banger.host.CommandFailedException;
import dev.banger.host.HostCommands;
import dev.banger.model.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds the guest initramfs: a static busybox, the module files that virtio disks/network and ext4
 * need (with dependencies, in load order), and an {@code /init} that loads them, mounts {@code root=}
 * from the kernel command line and switches to it. Packed as a gzip'd newc cpio archive. Not
 * thread-safe per output directory.
 */
public final class Initramfs {
    private final HostCommands host;
    private final Path busybox;

    public Initramfs(HostCommands host, Path busybox) {
        this.host = host;
        this.busybox = busybox;
    }

    /** The {@code /init} script; modules listed one per line in {@code /etc/banger-modules}. */
    static String initScript() {
        return """
                #!/bin/busybox sh
                # banger initramfs: load the modules for virtio disks and ext4, mount root=, switch_root.
                /bin/busybox --install -s /bin
                mkdir -p /proc /sys /dev /newroot
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                mount -t devtmpfs devtmpfs /dev
                for m in $(cat /etc/banger-modules); do
                  insmod "/lib/modules/$m" || echo "initrd: insmod $m failed"
                done
                root=; fstype=ext4; mode=rw; flags=; init=/sbin/init
                for arg in $(cat /proc/cmdline); do
                  case "$arg" in
                    root=*) root=${arg#root=} ;;
                    rootfstype=*) fstype=${arg#rootfstype=} ;;
                    rootflags=*) flags=,${arg#rootflags=} ;;
                    init=*) init=${arg#init=} ;;
                    ro) mode=ro ;;
                    rw) mode=rw ;;
                  esac
                done
                [ -n "$root" ] || { echo "initrd: no root= on the kernel command line"; exit 1; }
                i=0
                while :; do
                  case "$root" in
                    UUID=*|LABEL=*) dev=$(findfs "$root" 2>/dev/null) ;;
                    *) dev=$root ;;
                  esac
                  [ -n "$dev" ] && [ -b "$dev" ] && break
                  i=$((i + 1))
                  [ "$i" -ge 200 ] && { echo "initrd: root device $root did not appear within 20s"; exit 1; }
                  sleep 0.1
                done
                mount -t "$fstype" -o "$mode$flags" "$dev" /newroot || { echo "initrd: cannot mount $dev on /newroot"; exit 1; }
                [ -x "/newroot$init" ] || [ -L "/newroot$init" ] || { echo "initrd: no $init in the root filesystem"; exit 1; }
                umount /sys /proc
                if [ -d /newroot/dev ]; then mount -o move /dev /newroot/dev; else umount /dev; fi
                exec switch_root /newroot "$init"
                """;
    }

    /**
     * Builds {@code output} (gzip'd cpio) from the modules tree of one kernel release.
     *
     * @param modulesDir {@code lib/modules/<release>} of the unpacked kernel package
     * @param wanted     modules to load at boot; their dependencies are added, built-in ones skipped
     * @param work       scratch directory, replaced
     */
    public void build(Path modulesDir, List<String> wanted, Path work, Path output) {
        requireStaticBusybox();
        RuntimeBootstrap.deleteTree(work);
        try {
            Map<String, String> files = DebianKernelStager.moduleFiles(modulesDir);
            Path builtinFile = modulesDir.resolve("modules.builtin");
            var builtin = KernelModules.builtin(Files.isRegularFile(builtinFile) ? Files.readString(builtinFile) : "");
            List<String> order;
            try {
                order = KernelModules.loadOrder(wanted, files, rel -> {
                    try {
                        return KernelModules.depends(Files.readAllBytes(modulesDir.resolve(rel)));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, builtin);
            } catch (IllegalArgumentException e) {
                throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "cannot build the initrd: " + e.getMessage()
                        + "; fix [debian-kernel] initrd_modules in config/runtime-bundle.toml");
            }
            Files.createDirectories(work.resolve("bin"));
            Files.createDirectories(work.resolve("etc"));
            Files.createDirectories(work.resolve("lib/modules"));
            for (String dir : List.of("proc", "sys", "dev", "newroot")) {
                Files.createDirectories(work.resolve(dir));
            }
            Files.copy(busybox, work.resolve("bin/busybox"));
            RuntimeBootstrap.setMode(work.resolve("bin/busybox"), "0755");
            Files.createSymbolicLink(work.resolve("bin/sh"), Path.of("busybox"));
            List<String> loadNames = new ArrayList<>();
            for (String rel : order) {
                String name = Path.of(rel).getFileName().toString();
                Files.copy(modulesDir.resolve(rel), work.resolve("lib/modules").resolve(name));
                loadNames.add(name);
            }
            Files.writeString(work.resolve("etc/banger-modules"), String.join("\n", loadNames) + "\n");
            Files.writeString(work.resolve("init"), initScript());
            RuntimeBootstrap.setMode(work.resolve("init"), "0755");

            List<String> entries;
            try (Stream<Path> walk = Files.walk(work)) {
                entries = walk.filter(p -> !p.equals(work)).map(p -> work.relativize(p).toString()).sorted().toList();
            }
            // Fixed times, owners and order make the initrd's sum depend only on its contents.
            List<String> touch = new ArrayList<>(List.of("touch", "-h", "-d", "@0"));
            touch.addAll(entries);
            host.run(Command.of(touch).withWorkDir(work));
            Path cpio = work.resolveSibling(work.getFileName() + ".cpio");
            Files.deleteIfExists(cpio);
            try {
                host.run(Command.of("cpio", "--quiet", "--reproducible", "-o", "-H", "newc", "-R", "0:0", "-O",
                        cpio.toString())
                        .withWorkDir(work)
                        .withStdin((String.join("\n", entries) + "\n").getBytes(StandardCharsets.UTF_8))
                        .withTimeout(Duration.ofMinutes(2)));
            } catch (CommandFailedException e) {
                throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "cannot pack the initrd with cpio ("
                        + e.getMessage() + "); install it with `apt-get install cpio`", e);
            }
            try (InputStream in = Files.newInputStream(cpio);
                 OutputStream out = new GZIPOutputStream(Files.newOutputStream(output), 1 << 16)) {
                in.transferTo(out);
            }
            Files.deleteIfExists(cpio);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot build the initrd in " + work + ": "
                    + e.getMessage(), e);
        } finally {
            RuntimeBootstrap.deleteTree(work);
        }
    }

    private void requireStaticBusybox() {
        String fix = "; install it with `apt-get install busybox-static`";
        if (!Files.isRegularFile(busybox)) {
            throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, "the initrd needs a static busybox, but "
                    + busybox + " does not exist" + fix);
        }
        try {
            if (!isStaticElf(Files.readAllBytes(busybox))) {
                throw new RuntimeBundleException(ErrorKind.PRECONDITION_FAILED, busybox
                        + " is dynamically linked and cannot run inside the initrd" + fix);
            }
        } catch (IOException e) {
            throw new RuntimeBundleException(ErrorKind.INTERNAL, "cannot read " + busybox + ": " + e.getMessage(), e);
        }
    }

    /** A 64-bit little-endian ELF without a {@code PT_INTERP} program header, i.e. needs no dynamic loader. */
    static boolean isStaticElf(byte[] elf) {
        if (elf.length < 64 || !BzImage.isElf(elf) || elf[4] != 2 || elf[5] != 1) {
            return false;
        }
        ByteBuffer le = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long phoff = le.getLong(0x20);
        int phentsize = Short.toUnsignedInt(le.getShort(0x36));
        int phnum = Short.toUnsignedInt(le.getShort(0x38));
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * phentsize;
            if (at + 4 > elf.length) {
                return false;
            }
            if (le.getInt(Math.toIntExact(at)) == 3) { // PT_INTERP
                return false;
            }
        }
        return true;
    }

    /** The host's busybox-static binary, where Debian puts it. */
    public static Path hostBusybox() {
        return Stream.of(Path.of("/bin/busybox"), Path.of("/usr/bin/busybox")).filter(Files::isRegularFile).findFirst()
                .orElse(Path.of("/bin/busybox"));
    }
}
