package dev.banger.doctor;

import static dev.banger.doctor.KvmTestBootOutput.PANIC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.host.RecordingHostCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvmVerdictsTest {
    private static final String QEMU = "qemu-system-x86_64";

    @TempDir
    Path temp;

    private TestHost machine;
    private Path kernel;

    @BeforeEach
    void setUp() throws IOException {
        machine = new TestHost(temp).touch("/dev/kvm").touch("/proc/sys/kernel/osrelease", "6.18.44-test\n");
        kernel = Files.writeString(temp.resolve("vmlinux"), "not really a kernel");
    }

    private RecordingHostCommands booting(String stdout, int exitCode) {
        return new RecordingHostCommands()
                .withPrograms(QEMU)
                .answer(List.of(QEMU, "--version"), 0, "QEMU emulator version 7.2.22\n", "")
                .answer(List.of("timeout"), exitCode, stdout, "");
    }

    private KvmVerdicts verdicts(HostCommands host) {
        return new KvmVerdicts(host, machine.paths.cacheDir().resolve("doctor"), QEMU, () -> Optional.of(kernel), machine.root);
    }

    private static long testBoots(RecordingHostCommands host) {
        return host.recorded().stream().filter(argv -> argv.getFirst().equals("timeout")).count();
    }

    @Test
    void nothingIsKnownBeforeTheTestBootWhichRunsAtTheFirstAskAndIsKept() {
        RecordingHostCommands host = booting(PANIC, 0);
        KvmVerdicts verdicts = verdicts(host);

        assertThat(verdicts.known()).isEmpty();
        KvmVerdict verdict = verdicts.verdict();

        assertThat(verdict.usable()).isTrue();
        assertThat(verdicts.known()).contains(verdict);
        assertThat(testBoots(host)).isEqualTo(1);
    }

    @Test
    void onceKnownAskingStartsNoProcess() {
        RecordingHostCommands host = booting(PANIC, 0);
        KvmVerdicts verdicts = verdicts(host);
        verdicts.verdict();
        int before = host.recorded().size();

        verdicts.verdict();
        verdicts.known();
        verdicts.verdict();

        assertThat(host.recorded()).hasSize(before);
    }

    @Test
    void aVerdictAnotherProcessRecordedIsUsedWithoutATestBoot() {
        RecordingHostCommands daemon = booting(PANIC, 0);
        KvmVerdicts daemonsOwn = verdicts(daemon);
        assertThat(daemonsOwn.known()).isEmpty();

        verdicts(booting(PANIC, 0)).verdict(); // `banger doctor` run by the CLI, over the same cache

        assertThat(daemonsOwn.known()).hasValueSatisfying(v -> assertThat(v.usable()).isTrue());
        assertThat(daemonsOwn.verdict().usable()).isTrue();
        assertThat(testBoots(daemon)).isZero();
    }

    @Test
    void askersArrivingDuringTheTestBootWaitForItInsteadOfBootingAgain() throws Exception {
        CountDownLatch booting = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger boots = new AtomicInteger();
        HostCommands host = new HostCommands() {
            @Override
            public CommandResult exec(Command command) {
                if (command.argv().getFirst().equals("timeout")) {
                    boots.incrementAndGet();
                    booting.countDown();
                    try {
                        finish.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new CommandResult(command, 0, PANIC, "", Duration.ZERO);
                }
                return new CommandResult(command, 0, "QEMU emulator version 7.2.22\n", "", Duration.ZERO);
            }

            @Override
            public boolean available(String program) {
                return program.equals(QEMU);
            }
        };
        KvmVerdicts verdicts = verdicts(host);

        CompletableFuture<KvmVerdict> first = CompletableFuture.supplyAsync(verdicts::verdict, task -> Thread.ofVirtual().start(task));
        assertThat(booting.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<KvmVerdict> second = CompletableFuture.supplyAsync(verdicts::verdict, task -> Thread.ofVirtual().start(task));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!verdicts.waitingForTestBoot() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(verdicts.waitingForTestBoot()).isTrue();
        finish.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).usable()).isTrue();
        assertThat(second.get(10, TimeUnit.SECONDS).usable()).isTrue();
        assertThat(boots).hasValue(1);
    }

    @Test
    void withoutKvmTheVerdictSaysWhyAndNothingBoots() throws IOException {
        Files.delete(machine.root.resolve("dev/kvm"));
        RecordingHostCommands host = booting(PANIC, 0);

        KvmVerdict verdict = verdicts(host).verdict();

        assertThat(verdict.usable()).isFalse();
        assertThat(verdict.evidence()).contains("/dev/kvm does not exist");
        assertThat(host.recorded()).isEmpty();
    }

    @Test
    void aTestBootThatCannotRunCountsAsCannotWithItsReasonAndIsNotRetriedByEveryAsker() {
        RecordingHostCommands host = new RecordingHostCommands()
                .withPrograms(QEMU)
                .answer(List.of(QEMU, "--version"), 0, "QEMU emulator version 7.2.22\n", "")
                .answer(List.of("timeout"), c -> {
                    throw new dev.banger.host.HostException("command could not be started: timeout");
                });
        KvmVerdicts verdicts = verdicts(host);

        KvmVerdict first = verdicts.verdict();
        verdicts.verdict();

        assertThat(first.usable()).isFalse();
        assertThat(first.evidence()).contains("could not run");
        assertThat(testBoots(host)).isEqualTo(1);
    }
}
