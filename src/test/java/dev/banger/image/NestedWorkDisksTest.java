package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.CommandResult;
import dev.banger.host.RecordingHostCommands;
import dev.banger.host.disk.Ext4Tool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NestedWorkDisksTest {
    private static final long SIZE = 64L << 20;

    @TempDir
    Path tmp;
    private Path image;
    private RecordingHostCommands host;
    private NestedWorkDisks disks;
    private final List<Path> seenAtUnmount = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        image = tmp.resolve("work.ext4");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(SIZE);
        }
        host = new RecordingHostCommands();
        disks = new NestedWorkDisks(new Ext4Tool(host));
    }

    @Test
    void aFlatWorkDiskIsNeitherMountedNorChanged() {
        host.answer(List.of("debugfs"), 0, "/2/040755/0/0/.//\n/11/040700/0/0/lost+found//\n/13/100644/0/0/.bashrc/3/\n", "");

        assertThat(disks.repair(image)).isFalse();

        assertThat(host.recorded()).containsExactly(List.of("debugfs", "-R", "ls -p /", image.toString()));
    }

    /** Makes the fake mount put {@code files} under the mount point, and the fake umount take them away again. */
    private void mountShows(String... files) {
        host.answer(List.of("mount"), c -> {
            Path mountPoint = Path.of(c.argv().getLast());
            try {
                for (String file : files) {
                    Files.createDirectories(mountPoint.resolve(file).getParent());
                    Files.writeString(mountPoint.resolve(file), file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new CommandResult(c, 0, "", "", Duration.ZERO);
        });
        host.answer(List.of("umount"), c -> {
            Path mountPoint = Path.of(c.argv().getLast());
            try (Stream<Path> top = Files.list(mountPoint)) {
                top.map(Path::getFileName).forEach(seenAtUnmount::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try (Stream<Path> walk = Files.walk(mountPoint)) {
                walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(mountPoint)).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new CommandResult(c, 0, "", "", Duration.ZERO);
        });
    }

    private void debugfsShowsANestedDisk() {
        host.answer(List.of("debugfs", "-R", "ls -p /"), 0, "/11/040700/0/0/lost+found//\n/12/040755/0/0/root//\n", "");
        host.answer(List.of("debugfs", "-R", "ls -p /root"), 0, "/13/100644/0/0/.bashrc/3/\n", "");
    }

    @Test
    void aNestedWorkDiskIsLoopMountedFlattenedAndUnmounted() {
        debugfsShowsANestedDisk();
        mountShows("root/.bashrc", "root/.ssh/authorized_keys");

        assertThat(disks.repair(image)).isTrue();

        assertThat(seenAtUnmount).containsExactlyInAnyOrder(Path.of(".bashrc"), Path.of(".ssh"));
        List<List<String>> recorded = host.recorded();
        assertThat(recorded.get(2).subList(0, 4)).containsExactly("mount", "-o", "loop,nosuid,nodev,noexec", image.toString());
        assertThat(recorded.get(3)).containsExactly("umount", recorded.get(2).get(4));
        assertThat(recorded).hasSize(4);
        assertThat(Path.of(recorded.get(3).getLast())).doesNotExist();
    }

    @Test
    void theDiskIsUnmountedAndTheMountPointRemovedEvenWhenFlatteningRefuses() {
        debugfsShowsANestedDisk();
        // What the mount shows is ambiguous (home files in both places): the flattener refuses.
        mountShows(".profile", "root/.bashrc");

        assertThatThrownBy(() -> disks.repair(image)).hasMessageContaining("ambiguous");

        List<List<String>> recorded = host.recorded();
        Path mountPoint = Path.of(recorded.get(2).getLast());
        assertThat(recorded.get(3)).containsExactly("umount", mountPoint.toString());
        assertThat(mountPoint).doesNotExist();
    }
}
