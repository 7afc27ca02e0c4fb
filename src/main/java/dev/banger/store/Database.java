package dev.banger.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The pool, the write lock and the clock shared by the repositories. Reads run concurrently on
 * pooled connections in autocommit mode; every mutation runs as one transaction while holding the
 * single write lock, which covers only that SQL — callers must do slow host work outside it.
 * Thread-safe.
 */
final class Database implements AutoCloseable {
    static final int POOL_SIZE = 4;

    private final Path file;
    private final HikariDataSource pool;
    private final Clock clock;
    private final ReentrantLock writeLock = new ReentrantLock();

    Database(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        HikariConfig config = new HikariConfig();
        config.setDataSource(ConnectionProfile.dataSource(file));
        config.setPoolName("banger-store");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        config.setConnectionTimeout(30_000);
        this.pool = new HikariDataSource(config);
    }

    Path file() {
        return file;
    }

    DataSource dataSource() {
        return pool;
    }

    /** Now, at the precision stored times keep. */
    Instant now() {
        return ColumnCodec.stored(clock.instant());
    }

    <T> T read(String action, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, action, file);
        }
    }

    <T> T write(String action, SqlWork<T> work) {
        writeLock.lock();
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, action, file);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
