package dev.banger.store;

import java.nio.file.Path;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The one configuration every pooled SQLite connection opens with. The pragmas live in the driver's
 * connection configuration, so they hold for every connection the pool ever creates, including
 * replacements, rather than only for connections that happened to run a setup statement.
 */
final class ConnectionProfile {
    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    private ConnectionProfile() {}

    static SQLiteDataSource dataSource(Path database) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // Writers take the database write lock at BEGIN, where busy_timeout applies; a deferred
        // transaction that reads first can fail to upgrade with SQLITE_BUSY and no retry.
        // Reads run in autocommit and never open a transaction, so they never take it.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + database);
        return dataSource;
    }
}
