package dev.banger.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of SQL run on one borrowed connection; must not do slow host work. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
