package dev.banger.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultPointsTest {
    private static final Executor VIRTUAL = runnable -> Thread.ofVirtual().start(runnable);

    @TempDir
    Path dir;

    @Test
    void withoutTheVariableNothingIsArmedAndEveryPointPasses() {
        FaultPoints points = FaultPoints.fromEnvironment(Map.of(), dir);

        points.reach("vm-create", "boot");

        assertThat(points.armed()).isFalse();
        assertThat(points.skipsGuestWait("soak-1")).isFalse();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void theGuestWaitSwitchSkipsOnlyCreatesOfNamesWithItsPrefix() {
        FaultPoints points = FaultPoints.fromEnvironment(Map.of(FaultPoints.SKIP_GUEST_WAIT_ENV, "soak-"), dir);

        assertThat(points.skipsGuestWait("soak-17")).isTrue();
        assertThat(points.skipsGuestWait("ssh-1")).isFalse();
        assertThat(points.armed()).as("no hold point").isFalse();
    }

    @Test
    void deletingTheMarkerLetsAHeldOperationGoOn() throws Exception {
        FaultPoints points = FaultPoints.fromEnvironment(Map.of(FaultPoints.ENV, "vm-create:work-disk"), dir);
        Path marker = FaultPoints.marker(dir, "vm-create", "work-disk");
        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> points.reach("vm-create", "work-disk"), VIRTUAL);
        awaitFile(marker, held);
        assertThat(held).as("held at its point").isNotDone();

        Files.delete(marker);

        held.get(10, TimeUnit.SECONDS);
    }

    private static void awaitFile(Path file, CompletableFuture<Void> held) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file) && !held.isDone() && System.nanoTime() < deadline) {
            new CompletableFuture<Void>().completeOnTimeout(null, 20, TimeUnit.MILLISECONDS).join(); // a bounded poll pause
        }
        assertThat(file).exists();
    }

    @Test
    void anArmedPointWritesItsMarkerAndHoldsUntilReleased() throws Exception {
        FaultPoints points = FaultPoints.fromEnvironment(Map.of(FaultPoints.ENV, "vm-create:boot, vm-delete:b"), dir);
        Path marker = FaultPoints.marker(dir, "vm-create", "boot");

        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> points.reach("vm-create", "boot"), VIRTUAL);
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> points.reach("vm-create", "sshd"), VIRTUAL);

        other.get(10, TimeUnit.SECONDS);
        awaitFile(marker, held);
        assertThat(held).as("held at its point").isNotDone();
        points.release();
        held.get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(marker)).isEqualTo("vm-create:boot\n");
        assertThat(FaultPoints.marker(dir, "vm-create", "sshd")).doesNotExist();
    }
}
