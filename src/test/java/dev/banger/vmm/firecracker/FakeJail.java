package dev.banger.vmm.firecracker;

import dev.banger.host.Command;
import dev.banger.host.ProcessHostCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * A fake jailer and a fake Firecracker for the root-only contract tests. The jailer does what the
 * real one does to the file system (creates {@code <base>/firecracker/<id>/root}, copies the exec
 * file in, makes {@code /dev/net/tun}, {@code /dev/kvm} and {@code /dev/urandom}, refusing ones
 * that exist, writes {@code firecracker.pid}), then really chroots into the jail and execs the
 * copied Firecracker in place with the jailer's arguments. The fake Firecracker runs inside the jail
 * under a static busybox the fake jailer adds; the serving one "opens" its API socket by linking
 * it to a {@link FakeFirecrackerApi}, then waits for a line on the jail's {@code /stop.fifo}
 * ({@link #letExit}). Its argv comes from our own planner; it only reads the flags banger passes.
 */
final class FakeJail {
    private final Path bin;

    /** Fakes whose programs are written under {@code dir}. */
    FakeJail(Path dir) {
        this.bin = dir;
    }

    /** Settings that jail through the fake jailer. */
    FirecrackerVmm.Settings settings(Path firecracker, Duration socketTimeout, Duration apiTimeout) throws IOException {
        return new FirecrackerVmm.Settings(firecracker, true, Optional.of(jailer()), socketTimeout, apiTimeout);
    }

    /** The fake jailer. */
    Path jailer() throws IOException {
        Path script = Files.createDirectories(bin.resolve("jailer-bin")).resolve("jailer");
        Files.writeString(script, """
                #!/bin/sh
                set -e
                while [ $# -gt 0 ]; do
                  case "$1" in
                    --id) id="$2"; shift 2 ;;
                    --exec-file) exec_file="$2"; shift 2 ;;
                    --chroot-base-dir) base="$2"; shift 2 ;;
                    --uid|--gid) shift 2 ;;
                    --) shift; break ;;
                    *) echo "fake jailer: unexpected $1" >&2; exit 2 ;;
                  esac
                done
                name=$(basename "$exec_file")
                root="$base/$name/$id/root"
                mkdir -p "$root/dev/net" "$root/run" "$root/bin"
                cp "$exec_file" "$root/$name"
                cp '%s' "$root/bin/busybox"
                mkfifo "$root/stop.fifo"
                mknod "$root/dev/net/tun" c 10 200
                mknod "$root/dev/kvm" c 10 232
                mknod "$root/dev/urandom" c 1 9
                chmod 700 "$root" "$root/dev" "$root/dev/net" "$root/run"
                echo $$ > "$root/$name.pid"
                exec chroot "$root" "/$name" --id "$id" --start-time-us 1 --start-time-cpu-us 1 --parent-cpu-time-us 0 "$@"
                """.formatted(busybox().orElseThrow()), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** A fake that serves {@code serverSocket} on the socket it is told, until told to stop. */
    Path servingFirecracker(Path serverSocket) throws IOException {
        return firecracker("""
                echo "fake firecracker: starting with $*"
                sock=
                while [ $# -gt 0 ]; do
                  if [ "$1" = "--api-sock" ]; then sock="$2"; fi
                  shift
                done
                /bin/busybox ln -s '%s' "$sock"
                read -r line < /stop.fifo
                echo "fake firecracker: exiting after $line"
                """.formatted(serverSocket));
    }

    /** A script named {@code firecracker} run by the busybox inside the jail. */
    Path firecracker(String body) throws IOException {
        Path script = Files.createDirectories(bin.resolve("bin")).resolve("firecracker");
        Files.writeString(script, "#!/bin/busybox sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** A static busybox: ldd fails on one ("not a dynamic executable"), and only such a one runs in an empty jail. */
    static Optional<Path> busybox() {
        return ProcessHostCommands.resolve("busybox")
                .filter(binary -> !new ProcessHostCommands().exec(Command.of("ldd", binary.toString())).succeeded());
    }

    /** The pid the fake jailer wrote, which is the jailed fake's (it execs in place). */
    static Optional<Long> pid(JailLayout jail) throws IOException {
        Path pidFile = jail.root().resolve("firecracker.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
    }

    /** Has the serving fake in {@code jail} exit, as Firecracker does on Ctrl-Alt-Del with reboot=k. Opening read-write never blocks on Linux. */
    static void letExit(JailLayout jail, String why) {
        try (FileChannel fifo = FileChannel.open(jail.root().resolve("stop.fifo"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            fifo.write(ByteBuffer.wrap((why + "\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
