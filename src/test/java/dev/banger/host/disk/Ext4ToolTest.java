package dev.banger.host.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.host.CommandResult;
import dev.banger.host.RecordingHostCommands;
import dev.banger.model.ErrorKind;
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

class Ext4ToolTest {
    private static final long SIZE = 64L << 20;
    private static final String CHECKED = "Wed Dec  2 01:59:28 2026";

    @TempDir
    Path tmp;
    private Path image;
    private RecordingHostCommands host;
    private Ext4Tool tool;
    private final List<Path> seenAtUnmount = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        image = tmp.resolve("work.ext4");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(SIZE);
        }
        host = new RecordingHostCommands();
        tool = new Ext4Tool(host);
    }

    private void superblock(String lastMount) {
        host.answer(List.of("dumpe2fs"), 0, Ext4SuperblockTest.header("clean", lastMount, CHECKED), "");
    }

    @Test
    void shrinkingIsRefusedAndChangesNothing() throws IOException {
        assertThatThrownBy(() -> tool.grow(image, SIZE / 2))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("refusing to shrink")
                .satisfies(e -> assertThat(((DiskException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));

        assertThat(Files.size(image)).isEqualTo(SIZE);
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aNeverMountedImageIsGrownWithoutAFileSystemCheck() throws IOException {
        superblock("n/a");

        tool.grow(image, SIZE * 4);

        assertThat(Files.size(image)).isEqualTo(SIZE * 4);
        assertThat(host.recorded()).containsExactly(
                List.of("dumpe2fs", "-h", image.toString()),
                List.of("resize2fs", image.toString()));
    }

    @Test
    void anImageMountedSinceItsLastCheckIsPreenedBeforeTheResize() {
        superblock("Thu Dec  3 08:00:00 2026");

        tool.grow(image, SIZE * 4);

        assertThat(host.recorded()).containsExactly(
                List.of("dumpe2fs", "-h", image.toString()),
                List.of("e2fsck", "-f", "-p", image.toString()),
                List.of("resize2fs", image.toString()));
    }

    @Test
    void damageThatNeedsAHumanStopsTheGrowBeforeTheFileChanges() throws IOException {
        superblock("Thu Dec  3 08:00:00 2026");
        host.answer(List.of("e2fsck"), 4, "", "work.ext4: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.");

        assertThatThrownBy(() -> tool.grow(image, SIZE * 4))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("UNEXPECTED INCONSISTENCY")
                .hasMessageContaining("e2fsck -f " + image);

        assertThat(Files.size(image)).isEqualTo(SIZE);
        assertThat(host.recorded()).noneMatch(argv -> argv.getFirst().equals("resize2fs"));
    }

    @Test
    void growingToTheCurrentSizeDoesNothing() {
        superblock("n/a");

        tool.grow(image, SIZE);

        assertThat(host.recorded()).containsExactly(List.of("dumpe2fs", "-h", image.toString()));
    }

    @Test
    void aTreeIsBuiltIntoANewImageByMkfsWithTheSizeInKiB() throws IOException {
        Path tree = Files.createDirectory(tmp.resolve("tree"));
        Path fresh = tmp.resolve("seed.ext4");

        tool.buildFromTree(tree, fresh, SIZE);

        assertThat(host.recorded()).containsExactly(
                List.of("mkfs.ext4", "-q", "-F", "-d", tree.toString(), fresh.toString(), "65536k"));
    }

    @Test
    void buildingOverAnExistingImageIsRefused() throws IOException {
        Path tree = Files.createDirectory(tmp.resolve("tree"));

        assertThatThrownBy(() -> tool.buildFromTree(tree, image, SIZE))
                .isInstanceOf(DiskException.class)
                .hasMessageContaining("already exists");
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aFlatWorkDiskIsNeitherMountedNorChanged() {
        host.answer(List.of("debugfs"), 0, "/2/040755/0/0/.//\n/11/040700/0/0/lost+found//\n/13/100644/0/0/.bashrc/3/\n", "");

        assertThat(tool.repairNestedLayout(image)).isFalse();

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

        assertThat(tool.repairNestedLayout(image)).isTrue();

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

        assertThatThrownBy(() -> tool.repairNestedLayout(image)).hasMessageContaining("ambiguous");

        List<List<String>> recorded = host.recorded();
        Path mountPoint = Path.of(recorded.get(2).getLast());
        assertThat(recorded.get(3)).containsExactly("umount", mountPoint.toString());
        assertThat(mountPoint).doesNotExist();
    }
}
