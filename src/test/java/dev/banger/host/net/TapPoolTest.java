package dev.banger.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.config.NetworkConfig;
import dev.banger.host.Command;
import dev.banger.host.CommandResult;
import dev.banger.host.HostCommands;
import dev.banger.model.BangerException;
import dev.banger.model.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TapPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeTaps fake = new FakeTaps();
    private final List<TapPool> pools = new ArrayList<>();

    @AfterEach
    void closePools() {
        pools.forEach(TapPool::close);
    }

    private TapPool pool(HostCommands host, int size) {
        TapPool pool = new TapPool(new HostNetwork(host, NetworkConfig.DEFAULTS), size);
        pools.add(pool);
        return pool;
    }

    private TapPool pool(int size) {
        return pool(fake.commands, size);
    }

    @Test
    void startFillsThePoolInTheBackgroundWithAttachedTaps() throws Exception {
        TapPool pool = pool(3);
        pool.start();

        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(fake.taps()).containsExactlyInAnyOrder("tap-pool-0", "tap-pool-1", "tap-pool-2");
        assertThat(fake.ran(FakeTaps.ATTACH)).containsExactlyInAnyOrder(
                List.of("ip", "link", "set", "dev", "tap-pool-0", "master", "banger0", "up"),
                List.of("ip", "link", "set", "dev", "tap-pool-1", "master", "banger0", "up"),
                List.of("ip", "link", "set", "dev", "tap-pool-2", "master", "banger0", "up"));
    }

    @Test
    void acquireHandsOutAWarmTapAndTheRefillReplacesIt() throws Exception {
        TapPool pool = pool(2);
        pool.start();
        assertThat(pool.awaitWarm(WAIT)).isTrue();
        Set<String> warm = fake.taps();

        String tap = pool.acquire();

        assertThat(warm).contains(tap);
        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(fake.created()).hasSize(3).doesNotHaveDuplicates();
        assertThat(fake.taps()).contains(tap).hasSize(3);
    }

    @Test
    void theRefillWaitsForItsMomentButAnAcquireDoesNot() throws Exception {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        Semaphore moment = new Semaphore(0);
        TapPool pool = new TapPool(new HostNetwork(fake.commands, NetworkConfig.DEFAULTS), 1, () -> {
            asked.countDown();
            moment.acquireUninterruptibly();
        });
        pools.add(pool);
        pool.start();
        assertThat(asked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        String tap = pool.acquire();

        assertThat(fake.taps()).as("the refiller is still waiting for its moment").containsExactly(tap);
        moment.release(2);
        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(fake.taps()).hasSize(2).contains(tap);
    }

    @Test
    void releasedTapIsReusedBeforeCreatingANewOne() throws Exception {
        Semaphore creations = new Semaphore(1);
        TapPool pool = pool(new GatedCreations(fake.commands, creations), 1);
        pool.start();
        assertThat(pool.awaitWarm(WAIT)).isTrue();

        String first = pool.acquire();
        // The refill is now held at the gate, so only a reused TAP can satisfy the next acquire.
        pool.release(first);
        String second = pool.acquire();

        assertThat(second).isEqualTo(first);
        assertThat(fake.created()).containsExactly("tap-pool-0");
        creations.release(10);
        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(fake.created()).containsExactly("tap-pool-0", "tap-pool-1");
    }

    @Test
    void emptyPoolCreatesATapOnDemandWithTheNextFreeNumber() {
        TapPool pool = pool(0);
        pool.start();

        assertThat(pool.acquire()).isEqualTo("tap-pool-0");
        assertThat(pool.acquire()).isEqualTo("tap-pool-1");
        assertThat(fake.created()).containsExactly("tap-pool-0", "tap-pool-1");
        assertThat(fake.taps()).containsExactlyInAnyOrder("tap-pool-0", "tap-pool-1");
    }

    @Test
    void sizeZeroPoolDeletesReleasedTaps() {
        TapPool pool = pool(0);
        pool.start();
        String tap = pool.acquire();

        pool.release(tap);

        assertThat(fake.deleted()).containsExactly(tap);
        assertThat(fake.taps()).isEmpty();
        assertThat(pool.idleCount()).isZero();
    }

    @Test
    void releaseIntoAFullPoolDeletesTheTap() throws Exception {
        TapPool pool = pool(1);
        pool.start();
        assertThat(pool.awaitWarm(WAIT)).isTrue();
        String tap = pool.acquire();
        assertThat(pool.awaitWarm(WAIT)).isTrue();

        pool.release(tap);

        assertThat(fake.deleted()).containsExactly(tap);
        assertThat(pool.idleCount()).isEqualTo(1);
    }

    @Test
    void startAdoptsExistingPoolTapsInsteadOfRecreatingThem() throws Exception {
        fake.with("tap-pool-0", "tap-pool-3", "vm-tap");
        TapPool pool = pool(2);

        pool.start();

        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(fake.created()).isEmpty();
        assertThat(fake.ran(FakeTaps.ATTACH)).extracting(a -> a.get(4)).containsExactly("tap-pool-0", "tap-pool-3");
        assertThat(fake.taps()).containsExactlyInAnyOrder("tap-pool-0", "tap-pool-3", "vm-tap");
        assertThat(Set.of(pool.acquire(), pool.acquire())).containsExactlyInAnyOrder("tap-pool-0", "tap-pool-3");
    }

    @Test
    void startDeletesAdoptableTapsBeyondThePoolSize() throws Exception {
        fake.with("tap-pool-0", "tap-pool-1", "tap-pool-2");
        TapPool pool = pool(1);

        pool.start();

        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(fake.deleted()).containsExactly("tap-pool-1", "tap-pool-2");
        assertThat(fake.taps()).containsExactly("tap-pool-0");
    }

    @Test
    void startLeavesTapsOfRunningVmsAloneAndAcceptsThemBack() throws Exception {
        fake.with("tap-pool-0", "tap-pool-1");
        Semaphore creations = new Semaphore(0);
        TapPool pool = pool(new GatedCreations(fake.commands, creations), 1);

        pool.start(Set.of("tap-pool-0"));

        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(pool.acquire()).isEqualTo("tap-pool-1");
        pool.release("tap-pool-0");
        assertThat(pool.acquire()).isEqualTo("tap-pool-0");
        assertThat(fake.ran(FakeTaps.ATTACH)).extracting(a -> a.get(4)).containsExactly("tap-pool-1");
        assertThat(fake.deleted()).isEmpty();
        creations.release(10);
    }

    @Test
    void concurrentAcquiresGetDistinctTaps() throws Exception {
        TapPool pool = pool(2);
        pool.start();
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            Callable<String> acquire = pool::acquire;
            for (int i = 0; i < 16; i++) {
                results.add(threads.submit(acquire));
            }
            threads.shutdown();
            assertThat(threads.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        Set<String> names = new HashSet<>();
        for (Future<String> result : results) {
            names.add(result.get());
        }

        assertThat(names).hasSize(16);
        assertThat(fake.taps()).containsAll(names);
        assertThat(fake.created()).doesNotHaveDuplicates();
    }

    @Test
    void releaseOfATapThePoolDidNotHandOutIsRejected() {
        TapPool pool = pool(1);
        pool.start();

        assertThatThrownBy(() -> pool.release("vm-tap"))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("vm-tap")
                .extracting(e -> ((BangerException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        assertThat(fake.deleted()).isEmpty();
    }

    @Test
    void failedBackgroundCreationIsReportedAndNotRetriedUntilTheNextAcquire() throws Exception {
        fake.commands.answer(FakeTaps.ADD, 1, "", "open: No such file or directory");
        TapPool pool = pool(2);
        pool.start();

        assertThat(pool.awaitWarm(WAIT)).isFalse();
        assertThat(fake.created()).hasSize(1);
        assertThatThrownBy(pool::acquire)
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("ip tuntap add dev tap-pool-")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void closeStopsRefillingAndLeavesIdleTapsForTheNextStart() throws Exception {
        TapPool pool = pool(2);
        pool.start();
        assertThat(pool.awaitWarm(WAIT)).isTrue();

        pool.close();

        assertThatThrownBy(pool::acquire).isInstanceOf(NetworkException.class).hasMessageContaining("closed");
        assertThat(pool.awaitWarm(WAIT)).isTrue();
        assertThat(fake.created()).hasSize(2);
        assertThat(fake.deleted()).isEmpty();
        TapPool next = pool(2);
        next.start();
        assertThat(next.awaitWarm(WAIT)).isTrue();
        assertThat(fake.created()).hasSize(2);
    }

    @Test
    void acquireBeforeStartIsRejectedAndAFailedStartCanBeRetried() throws Exception {
        TapPool pool = pool(1);
        assertThatThrownBy(pool::acquire).isInstanceOf(NetworkException.class).hasMessageContaining("not started");
        fake.commands.answer(List.of("ip", "-j", "-d", "link", "show", "type", "tun"), 1, "", "Cannot open netlink socket");

        assertThatThrownBy(pool::start).isInstanceOf(NetworkException.class).hasMessageContaining("netlink");
        assertThatThrownBy(pool::acquire).hasMessageContaining("not started");

        fake.commands.answer(List.of("ip", "-j", "-d", "link", "show", "type", "tun"), 0, "[]", "");
        pool.start();
        assertThat(pool.awaitWarm(WAIT)).isTrue();
    }

    @Test
    void poolSizeOutsideTheConfigRangeIsRejected() {
        HostNetwork network = new HostNetwork(fake.commands, NetworkConfig.DEFAULTS);
        assertThatThrownBy(() -> new TapPool(network, 65)).isInstanceOf(NetworkException.class).hasMessageContaining("0..64");
        assertThatThrownBy(() -> new TapPool(network, -1)).isInstanceOf(NetworkException.class);
    }

    /** Holds every {@code ip tuntap add} until a permit is available, outside the fake's lock. */
    private record GatedCreations(HostCommands delegate, Semaphore permits) implements HostCommands {
        @Override
        public CommandResult exec(Command command) {
            List<String> argv = command.argv();
            if (argv.size() >= 3 && argv.subList(0, 3).equals(FakeTaps.ADD)) {
                try {
                    if (!permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        return new CommandResult(command, 1, "", "test gate closed", Duration.ZERO);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new CommandResult(command, 1, "", "interrupted at test gate", Duration.ZERO);
                }
            }
            return delegate.exec(command);
        }

        @Override
        public boolean available(String program) {
            return delegate.available(program);
        }
    }
}
