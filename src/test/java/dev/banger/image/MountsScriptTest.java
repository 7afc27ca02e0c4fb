package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.banger.capability.WorkDiskCapability;
import dev.banger.guestconfig.ConfigDrive;
import dev.banger.guestconfig.GuestConfig;
import dev.banger.guestconfig.GuestMount;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.ProcessHostCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the mounts script with dash (Debian) and bash (Void): against fake {@code mount},
 * {@code resize2fs} and {@code mountpoint} that log what they are asked, a temp {@code /dev/disk}
 * whose labels link to a real block device, and a temp file as the config drive; and once for real,
 * a labelled ext4 on a loop device mounted and grown in a mount namespace of its own.
 */
class MountsScriptTest {
    private static final ProcessHostCommands HOST = new ProcessHostCommands();
    /** Any block device: the script only checks that the label's link leads to one (the fake mount never opens it). */
    private static final Path BLOCK_DEVICE = Path.of("/dev/loop0");

    @TempDir
    Path tmp;
    private Path script;
    private Path guest;
    private Path log;
    private Path bin;
    private Path disk;

    @BeforeEach
    void guest() throws IOException {
        script = Files.writeString(tmp.resolve("banger-mounts"), MountsScript.text());
        guest = Files.createDirectories(tmp.resolve("guest"));
        log = tmp.resolve("calls.log");
        bin = Files.createDirectories(tmp.resolve("bin"));
        disk = Files.createDirectories(tmp.resolve("disk/by-label"));
        fake("mount", "echo \"mount $*\" >> " + log);
        fake("resize2fs", "echo \"resize2fs $*\" >> " + log);
        fake("mountpoint", "exit 1");
        fake("blkid", "exit 2");
    }

    private void fake(String name, String body) throws IOException {
        Path file = Files.writeString(bin.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void label(String name) throws IOException {
        Files.createSymbolicLink(tmp.resolve("disk/by-label").resolve(name), BLOCK_DEVICE);
    }

    /** A config drive as the daemon writes it: the words line, zeros to 4 KiB. */
    private Path drive(String line) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[4096 - out.size()]);
        return Files.write(tmp.resolve("config.img"), out.toByteArray());
    }

    private CommandResult run(String shell, String cmdline, Path drive) throws IOException {
        Path cmdlineFile = Files.writeString(tmp.resolve("cmdline"), cmdline + "\n");
        Map<String, String> env = new HashMap<>(Map.of("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin",
                "BANGER_CMDLINE", cmdlineFile.toString(), "BANGER_CONFIG_DRIVE", drive == null ? "" : drive.toString(),
                "BANGER_MOUNT_PREFIX", guest.toString(), "BANGER_DISK_DIR", tmp.resolve("disk").toString(),
                "BANGER_MOUNT_TIMEOUT", "1"));
        return HOST.exec(Command.of(shell, script.toString()).withEnv(env).withTimeout(Duration.ofSeconds(30)));
    }

    private String calls() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void theWorkDiskIsMountedOnRootAndGrown(String shell) throws IOException {
        assumeTrue(Files.exists(BLOCK_DEVICE), "needs a block device to link labels to");
        label("banger-work");

        CommandResult result = run(shell, "console=ttyS0 root=/dev/vda banger.hostname=dev1 banger.mount=LABEL=banger-work:/root:ext4:defaults",
                null);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Path device = tmp.resolve("disk/by-label/banger-work");
        assertThat(calls()).isEqualTo("mount -t ext4 -o defaults " + device + " " + guest + "/root\n"
                + "resize2fs " + device + "\n");
        assertThat(guest.resolve("root")).isDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void theDrivesWordWinsParentsMountFirstAndAMissingDeviceIsSkipped(String shell) throws IOException {
        assumeTrue(Files.exists(BLOCK_DEVICE), "needs a block device to link labels to");
        label("work");
        label("cache");
        Path drive = drive("banger.hostname=dev1 banger.ip=172.30.0.2/24 banger.mount=LABEL=work:/root:ext4:noatime,rw"
                + " banger.mac=02:fc:00:00:00:07");

        CommandResult result = run(shell, "banger.mount=LABEL=cache:/root/.cache:ext4:defaults"
                + " banger.mount=LABEL=old:/root:ext4:defaults banger.mount=LABEL=gone:/data:ext4:defaults"
                + " banger.mount=banger-share:/mnt/src:fuse.sshfs:ro", drive);

        assertThat(result.exitCode()).as("a mount was skipped").isEqualTo(1);
        assertThat(result.stderr()).contains("banger-mounts: LABEL=gone did not appear within 1s; /data is not mounted");
        Path disks = tmp.resolve("disk/by-label");
        assertThat(calls()).isEqualTo("mount -t ext4 -o noatime,rw " + disks.resolve("work") + " " + guest + "/root\n"
                + "resize2fs " + disks.resolve("work") + "\n"
                + "mount -t ext4 -o defaults " + disks.resolve("cache") + " " + guest + "/root/.cache\n");
        assertThat(guest.resolve("mnt/src")).as("a share's mount point, for the host to attach").isDirectory();
        assertThat(guest.resolve("data")).as("made before its device was awaited").isDirectory();
    }

    @Test
    void missingDevicesShareOneDeadlineSoTheirWaitsDoNotAddUp() throws IOException {
        Path cmdlineFile = Files.writeString(tmp.resolve("cmdline"), "banger.mount=LABEL=a:/a:ext4:defaults"
                + " banger.mount=LABEL=b:/b:ext4:defaults banger.mount=LABEL=c:/c:ext4:defaults\n");
        long start = System.nanoTime();

        CommandResult result = HOST.exec(Command.of("dash", script.toString()).withEnv(Map.of("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin",
                "BANGER_CMDLINE", cmdlineFile.toString(), "BANGER_CONFIG_DRIVE", "", "BANGER_MOUNT_PREFIX", guest.toString(),
                "BANGER_DISK_DIR", tmp.resolve("disk").toString(), "BANGER_MOUNT_TIMEOUT", "3")).withTimeout(Duration.ofSeconds(30)));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines().filter(line -> line.contains("did not appear"))).hasSize(3);
        // One 3 s deadline (whole seconds of uptime: at most 4 s); three of their own would take at least 6 s.
        assertThat(took).isLessThan(Duration.ofMillis(5500));
        assertThat(calls()).isEmpty();
    }

    @Test
    void aMountPointAlreadyMountedIsOnlyGrown() throws IOException {
        fake("mountpoint", "exit 0");
        fake("findmnt", "echo /dev/vdb");

        CommandResult result = run("dash", "banger.mount=LABEL=banger-work:/root:ext4:defaults", null);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(calls()).isEqualTo("resize2fs /dev/vdb\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void malformedWordsAreRefusedAndNeverRun(String shell) throws IOException {
        Path marker = tmp.resolve("ran");
        String[] words = {
                "/dev/vdb:/root/../etc:ext4:defaults",
                "/dev/vdb:/:ext4:defaults",
                "/dev/vdb:root:ext4:defaults",
                "/dev/vdb:/root/:ext4:defaults",
                "/dev/vdb:/a//b:ext4:defaults",
                "/dev/../vdb:/root:ext4:defaults",
                "LABEL=x:/root:ext4",
                "LABEL=x:/root:ext4:defaults:more",
                "LABEL=x::/root:ext4:defaults",
                "LABEL=x:/root:ext4:defaults:",
                "LABEL=x:/root:ext4:",
                "LABEL=x:/root:ext4:a,,b",
                "LABEL=x:/root:Ext4:defaults",
                "LABEL=:/root:ext4:defaults",
                "LABEL=a;b:/root:ext4:defaults",
                "*:/root:ext4:defaults",
                "$(touch${IFS}" + marker + "):/root:ext4:defaults",
                "`touch${IFS}" + marker + "`:/root:ext4:defaults",
                "LABEL=x:/root:ext4:defaults;touch${IFS}" + marker,
                "LABEL=x:/root:ext4:$(touch${IFS}" + marker + ")",
        };
        StringBuilder cmdline = new StringBuilder("console=ttyS0");
        for (String word : words) {
            cmdline.append(" banger.mount=").append(word);
        }

        CommandResult result = run(shell, cmdline.toString(), null);

        assertThat(result.exitCode()).isEqualTo(1);
        for (String word : words) {
            assertThat(result.stderr()).contains("ignoring banger.mount=" + word + ":");
        }
        assertThat(calls()).isEmpty();
        assertThat(marker).doesNotExist();
        try (var made = Files.list(guest)) {
            assertThat(made).as("no mount point made").isEmpty();
        }
    }

    /** What the daemon can send (GuestMount's rules), the guest accepts: the two checks agree. */
    @Test
    void everyMountTheDaemonCanSendPassesTheGuestsCheck() throws IOException {
        assumeTrue(Files.exists(BLOCK_DEVICE), "needs a block device to link labels to");
        label("banger-work");
        fake("blkid", "[ \"$1\" = -U ] && echo " + BLOCK_DEVICE);
        GuestConfig config = GuestConfig.builder().hostname("dev1").address("172.30.0.2/24")
                .mount(WorkDiskCapability.MOUNT)
                .mount(new GuestMount("banger-share", "/mnt/src", "fuse.sshfs", List.of("ro")))
                .mount(new GuestMount("banger-share", "/mnt/out-put_1.x+y", "fuse.sshfs", List.of("rw")))
                .mount(new GuestMount("UUID=0b2f-44aa", "/data", "ext4", List.of("noatime", "errors=remount-ro", "commit=30")))
                .mount(GuestMount.withDefaults("share0", "/srv/v", "virtiofs"))
                .build();
        Path drive = Files.write(tmp.resolve("config.img"), ConfigDrive.content(config, "02:fc:00:00:00:07"));

        CommandResult result = run("bash", "console=ttyS0", drive);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).doesNotContain("ignoring");
        assertThat(calls().lines()).containsExactly(
                "mount -t ext4 -o defaults " + tmp.resolve("disk/by-label/banger-work") + " " + guest + "/root",
                "resize2fs " + tmp.resolve("disk/by-label/banger-work"),
                "mount -t ext4 -o noatime,errors=remount-ro,commit=30 " + BLOCK_DEVICE + " " + guest + "/data",
                "mount -t virtiofs -o defaults share0 " + guest + "/srv/v");
        assertThat(guest.resolve("mnt/src")).isDirectory();
        assertThat(guest.resolve("mnt/out-put_1.x+y")).isDirectory();
    }

    @Test
    void noMountWordsIsNothingToDo() throws IOException {
        CommandResult result = run("dash", "console=ttyS0 root=/dev/vda banger.hostname=dev1", drive("banger.hostname=dev1"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).isEmpty();
        assertThat(calls()).isEmpty();
    }

    /** The real thing: blkid finds the label, mount mounts it, resize2fs grows the file system to its disk. */
    @Test
    void aLabelledExt4IsFoundMountedAndGrownToFillItsDisk() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")) && HOST.available("unshare") && HOST.available("losetup"),
                "needs root, unshare and losetup");
        String label = "bt-" + UUID.randomUUID().toString().substring(0, 8);
        Path image = tmp.resolve("work.ext4");
        HOST.run(Command.of("mkfs.ext4", "-q", "-L", label, image.toString(), "16M"));
        HOST.run(Command.of("truncate", "-s", "64M", image.toString()));
        Path cmdline = Files.writeString(tmp.resolve("cmdline"), "banger.mount=LABEL=" + label + ":/root:ext4:defaults\n");
        // A mount namespace of its own, so the mount dies with the shell; the loop device is detached on any exit.
        String steps = """
                set -e
                dev=$(losetup -f --show %1$s)
                trap 'umount %2$s/root 2>/dev/null; losetup -d "$dev"' EXIT
                BANGER_CMDLINE=%3$s BANGER_CONFIG_DRIVE= BANGER_MOUNT_PREFIX=%2$s BANGER_MOUNT_TIMEOUT=10 dash %4$s
                echo "SOURCE $(findmnt -n -o SOURCE --mountpoint %2$s/root)"
                echo "BLOCKS $(df -k --output=size %2$s/root | tail -n 1 | tr -d ' ')"
                """.formatted(image, guest, cmdline, script);

        CommandResult result = HOST.exec(Command.of("unshare", "--mount", "--propagation", "private", "sh", "-c", steps)
                .withTimeout(Duration.ofSeconds(60)));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).containsPattern("SOURCE /dev/loop\\d+\n");
        long kib = Long.parseLong(result.stdout().replaceAll("(?s).*BLOCKS (\\d+).*", "$1"));
        if (mayResizeOnline()) {
            assertThat(kib).as("grown from 16 MiB to fill the 64 MiB disk").isGreaterThan(48 * 1024);
        } else {
            // ext4's online resize needs CAP_SYS_RESOURCE, which some containers drop: the mount stands, the failure is told.
            assertThat(kib).isLessThan(16 * 1024);
            assertThat(result.stderr()).contains("banger-mounts: growing /root on /dev/loop");
        }
    }

    /** Whether this process has CAP_SYS_RESOURCE (bit 24 of CapEff), which ext4's online resize ioctl requires. */
    private static boolean mayResizeOnline() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
            }
        }
        return false;
    }
}
