package dev.banger.vm.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import dev.banger.model.Share;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShareRulesTest {
    @TempDir
    Path dir;

    private Path state;
    private Path project;

    @BeforeEach
    void setUp() throws IOException {
        state = Files.createDirectories(dir.resolve("var/lib/banger"));
        project = Files.createDirectories(dir.resolve("home/me/project"));
    }

    private Share check(String host, String guest) {
        return ShareRules.check(new Share(host, guest, false), state, List.of());
    }

    private static void assertInvalid(Runnable check, String... words) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(VmException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT)).message().contains(words);
    }

    @Test
    void theHostPathIsKeptCanonicalSoALinkChangedLaterCannotRedirectIt() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), project);

        Share checked = check(link + "/../project/.", "/mnt/project");

        assertThat(checked.hostPath()).isEqualTo(project.toRealPath().toString());
    }

    @Test
    void theHostPathMustBeAnExistingAbsoluteDirectoryOtherThanTheRoot() throws IOException {
        Path file = Files.writeString(project.resolve("file.txt"), "x");
        assertInvalid(() -> check("home/me/project", "/mnt/p"), "host path", "absolute");
        assertInvalid(() -> check(dir.resolve("missing").toString(), "/mnt/p"), "host path", "does not exist");
        assertInvalid(() -> check(file.toString(), "/mnt/p"), "host path", "not a directory");
        assertInvalid(() -> check("/", "/mnt/p"), "host path", "root directory");
    }

    @Test
    void theStateDirectoryIsNeverShared() throws IOException {
        Path vmDir = Files.createDirectories(state.resolve("vms/dev1"));
        assertInvalid(() -> check(vmDir.toString(), "/mnt/p"), "is inside", "state directory");
        assertInvalid(() -> check(state.toString(), "/mnt/p"), "state directory");
        assertInvalid(() -> check(dir.resolve("var").toString(), "/mnt/p"), "holds", "state directory");
        Path sneaky = Files.createSymbolicLink(dir.resolve("innocent"), vmDir);
        assertInvalid(() -> check(sneaky.toString(), "/mnt/p"), "is inside", "state directory");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mnt/p", "/", "/mnt/", "/mnt//p", "/mnt/../etc", "/mnt/./p", "/mnt/a b", "/mnt/it's", "/mnt/a:b",
            "/mnt/$(reboot)", "/root", "/etc", "/usr", "/proc/self", "/dev/shm", "/run/x", "/sys/kernel"})
    void badGuestPathsAreRefused(String guest) {
        assertInvalid(() -> check(project.toString(), guest), "guest path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mnt/project", "/srv/data", "/root/src", "/home/dev/my-project_2", "/data+old"})
    void plainGuestPathsAreTaken(String guest) {
        assertThat(check(project.toString(), guest).guestPath()).isEqualTo(guest);
    }

    @Test
    void aGuestPathIsTakenOnceAndSharesDoNotNest() {
        List<Share> others = List.of(new Share("/srv/a", "/mnt/a", false));
        assertInvalid(() -> ShareRules.check(new Share(project.toString(), "/mnt/a", false), state, others), "is already",
                "banger vm unshare");
        assertInvalid(() -> ShareRules.check(new Share(project.toString(), "/mnt/a/b", false), state, others), "overlaps");
        assertInvalid(() -> ShareRules.check(new Share(project.toString(), "/mnt", false), state, others), "overlaps");
        assertThat(ShareRules.check(new Share(project.toString(), "/mnt/ab", true), state, others).readOnly()).isTrue();
    }
}
