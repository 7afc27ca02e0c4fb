package dev.banger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.banger.model.ErrorKind;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {
    @TempDir
    Path dir;

    private Database db;

    @BeforeEach
    void open() {
        Store.open(dir.resolve("state.db")).close();
        db = new Database(dir.resolve("state.db"), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void readsProceedWhileAWriteTransactionIsOpen() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Own threads: the common pool may have a single worker, which the blocked writer would hold.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        Future<Object> writer = threads.submit(() -> db.write("hold a write", c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO operations (id, kind, target, state, started_at)"
                        + " VALUES ('op', 'vm-create', 'x', 'running', '2026-01-01T00:00:00.000Z')");
            }
            writing.countDown();
            awaitBounded(release);
            return null;
        }));
        try {
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();

            long seen = threads.submit(() -> db.read("count", c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM operations")) {
                    rs.next();
                    return rs.getLong(1);
                }
            })).get(5, TimeUnit.SECONDS);

            assertThat(seen).as("a read sees the last committed state, not the open transaction").isZero();
        } finally {
            release.countDown();
            writer.get(10, TimeUnit.SECONDS);
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void awaitBounded(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the writer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailedWriteIsRolledBackEntirely() {
        assertThatThrownBy(() -> db.write("insert twice", c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO operations (id, kind, target, state, started_at)"
                        + " VALUES ('op', 'vm-create', 'x', 'running', '2026-01-01T00:00:00.000Z')");
                s.executeUpdate("INSERT INTO operations (id, kind, target, state, started_at)"
                        + " VALUES ('op', 'vm-create', 'y', 'running', '2026-01-01T00:00:00.000Z')");
            }
            return null;
        }))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT))
                .hasMessageContaining("cannot insert twice")
                .hasMessageContaining("operations.id");

        long rows = db.read("count", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM operations")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(rows).isZero();
    }
}
