package dev.banger.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkSeedLayoutTest {
    @TempDir
    Path tmp;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void homeFilesUnderRootWithNoneAtTheTopIsNested() {
        var listing = WorkSeedLayout.Listing.of(Set.of("root", "lost+found"), Set.of(".bashrc", ".profile", "src"));

        assertThat(WorkSeedLayout.classify(listing)).isEqualTo(WorkSeedLayout.Kind.NESTED);
    }

    @Test
    void homeFilesAtTheTopIsFlatEvenWithAProjectCalledRoot() {
        var listing = WorkSeedLayout.Listing.of(Set.of(".bashrc", "root"), Set.of("main.c"));

        assertThat(WorkSeedLayout.classify(listing)).isEqualTo(WorkSeedLayout.Kind.FLAT);
        assertThat(WorkSeedLayout.flattenPlan(listing).isEmpty()).isTrue();
    }

    @Test
    void anEmptyDiskIsFlat() {
        assertThat(WorkSeedLayout.classify(WorkSeedLayout.Listing.of(Set.of("lost+found"), Set.of())))
                .isEqualTo(WorkSeedLayout.Kind.FLAT);
    }

    @Test
    void homeFilesInBothPlacesAreAmbiguous() {
        var listing = WorkSeedLayout.Listing.of(Set.of(".bashrc", "root"), Set.of(".profile"));

        assertThatThrownBy(() -> WorkSeedLayout.flattenPlan(listing))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("ambiguous")
                .hasMessageContaining("[.bashrc]")
                .hasMessageContaining("[.profile]");
    }

    @Test
    void otherEntriesBesideANestedRootAreRefused() {
        var listing = WorkSeedLayout.Listing.of(Set.of("root", "notes.txt", "lost+found"), Set.of(".bashrc"));

        assertThatThrownBy(() -> WorkSeedLayout.flattenPlan(listing))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("[notes.txt]");
    }

    @Test
    void thePlanParksRootThenMovesEachChildUpThenRemovesTheStagingDir() {
        var listing = WorkSeedLayout.Listing.of(Set.of("root"), Set.of(".bashrc", "root"));

        WorkSeedLayout.FlattenPlan plan = WorkSeedLayout.flattenPlan(listing);

        Path staging = Path.of(WorkSeedLayout.STAGING_DIR);
        assertThat(plan.moves()).containsExactly(
                new WorkSeedLayout.Move(Path.of("root"), staging),
                new WorkSeedLayout.Move(staging.resolve(".bashrc"), Path.of(".bashrc")),
                new WorkSeedLayout.Move(staging.resolve("root"), Path.of("root")));
        assertThat(plan.removeDir()).contains(staging);
    }

    @Test
    void aNestedTreeIsFlattenedInPlace() throws IOException {
        write(tmp.resolve("root/.bashrc"), "bashrc");
        write(tmp.resolve("root/.ssh/authorized_keys"), "key");
        write(tmp.resolve("root/root/inner"), "a child called root survives");
        Files.createDirectory(tmp.resolve("lost+found"));
        Files.setPosixFilePermissions(tmp.resolve("root"), Files.getPosixFilePermissions(tmp));
        String fingerprintOfHome = TreeFingerprint.of(tmp.resolve("root"));

        WorkSeedFlattener.flatten(tmp);

        assertThat(Files.readString(tmp.resolve(".bashrc"))).isEqualTo("bashrc");
        assertThat(Files.readString(tmp.resolve(".ssh/authorized_keys"))).isEqualTo("key");
        assertThat(Files.readString(tmp.resolve("root/inner"))).isEqualTo("a child called root survives");
        assertThat(tmp.resolve(WorkSeedLayout.STAGING_DIR)).doesNotExist();
        assertThat(WorkSeedLayout.classify(WorkSeedLayout.inspect(tmp))).isEqualTo(WorkSeedLayout.Kind.FLAT);
        Files.delete(tmp.resolve("lost+found"));
        assertThat(TreeFingerprint.of(tmp)).isEqualTo(fingerprintOfHome);
    }

    @Test
    void anAlreadyFlatTreeIsLeftAlone() throws IOException {
        write(tmp.resolve(".bashrc"), "bashrc");
        write(tmp.resolve("root/project.txt"), "mine");
        String before = TreeFingerprint.of(tmp);

        WorkSeedLayout.FlattenPlan plan = WorkSeedFlattener.flatten(tmp);

        assertThat(plan.isEmpty()).isTrue();
        assertThat(TreeFingerprint.of(tmp)).isEqualTo(before);
    }

    @Test
    void anAmbiguousTreeIsRefusedAndUnchanged() throws IOException {
        write(tmp.resolve(".profile"), "top");
        write(tmp.resolve("root/.profile"), "nested");
        String before = TreeFingerprint.of(tmp);

        assertThatThrownBy(() -> WorkSeedFlattener.flatten(tmp)).isInstanceOf(ImageException.class);
        assertThat(TreeFingerprint.of(tmp)).isEqualTo(before);
    }

    @Test
    void aStalePlanChangesNothing() throws IOException {
        write(tmp.resolve("root/.bashrc"), "bashrc");
        write(tmp.resolve("root/b"), "b");
        WorkSeedLayout.FlattenPlan plan = WorkSeedLayout.flattenPlan(WorkSeedLayout.inspect(tmp));
        write(tmp.resolve("b"), "appeared since planning");
        String before = TreeFingerprint.of(tmp);

        assertThatThrownBy(() -> WorkSeedFlattener.apply(tmp, plan))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("already exists; nothing was changed");
        assertThat(TreeFingerprint.of(tmp)).isEqualTo(before);
    }
}
