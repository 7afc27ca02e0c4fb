package dev.banger.store;

import dev.banger.model.ErrorKind;
import dev.banger.model.Operation;
import dev.banger.model.OperationKind;
import dev.banger.model.OperationState;
import dev.banger.model.Stage;
import dev.banger.model.StageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Long-running operations and their timed stages, so that clients can poll progress
 * ({@code vm.create.status}) and the record survives the VM it was about. Obtained from
 * {@link Store#operations()}. Thread-safe: each call is one transaction under the store's write
 * lock or one consistent read.
 */
public final class OperationRepository {
    private static final String SELECT = """
            SELECT o.id, o.kind, o.target, o.state, o.error, o.started_at, o.ended_at,
                   s.name AS stage_name, s.position AS stage_position, s.state AS stage_state,
                   s.started_at AS stage_started_at, s.ended_at AS stage_ended_at, s.error AS stage_error
            FROM operations o
            LEFT JOIN operation_stages s ON s.operation_id = o.id""";
    private static final String STATE = "SELECT state FROM operations WHERE id = ?";

    private final Database db;

    OperationRepository(Database db) {
        this.db = db;
    }

    /**
     * Starts a running operation whose planned stages are recorded as pending, in the given order,
     * so clients can show the whole pipeline from the start.
     */
    public Operation begin(OperationKind kind, String target, List<String> plannedStages) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        if (new HashSet<>(plannedStages).size() != plannedStages.size()) {
            throw new StoreException(ErrorKind.INVALID_ARGUMENT, "stage names must be unique within an operation, got " + plannedStages);
        }
        String id = UUID.randomUUID().toString();
        return db.write("begin " + ColumnCodec.enumText(kind) + " operation for '" + target + "'", c -> {
            Instant now = db.now();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO operations (id, kind, target, state, started_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, ColumnCodec.enumText(kind));
                ps.setString(3, target);
                ps.setString(4, ColumnCodec.enumText(OperationState.RUNNING));
                ps.setString(5, ColumnCodec.timeText(now));
                ps.executeUpdate();
            }
            // One statement for every stage (a create plans ten): preparing one costs SQLite more than running it.
            List<Stage> stages = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO operation_stages (operation_id, name, position, state) VALUES (?, ?, ?, ?)")) {
                for (String stage : plannedStages) {
                    ps.setString(1, id);
                    ps.setString(2, stage);
                    ps.setInt(3, stages.size());
                    ps.setString(4, ColumnCodec.enumText(StageState.PENDING));
                    ps.executeUpdate();
                    stages.add(new Stage(stage, stages.size(), StageState.PENDING, null, null, null));
                }
            }
            return new Operation(id, kind, target, OperationState.RUNNING, null, now, null, stages);
        });
    }

    /** Marks a stage running from now; a stage that was not planned is appended. */
    public void startStage(String operationId, String stage) {
        changeNow("start stage '" + stage + "' of operation " + operationId, operationId, stage, StageState.RUNNING, null);
    }

    /**
     * Ends a stage with a finished state ({@code succeeded}, {@code failed}, {@code rolled-back},
     * {@code skipped}) and an optional error; a stage that was not planned is appended.
     * A stage ended without having started keeps no start time.
     */
    public void finishStage(String operationId, String stage, StageState outcome, String error) {
        Objects.requireNonNull(outcome, "outcome");
        if (!outcome.isFinished()) {
            throw new StoreException(ErrorKind.INVALID_ARGUMENT,
                    "a stage must finish as succeeded, failed, rolled-back or skipped, not " + ColumnCodec.enumText(outcome));
        }
        changeNow("finish stage '" + stage + "' of operation " + operationId, operationId, stage, outcome, error);
    }

    /** One stage change stamped now, to an operation that must still be running. */
    private void changeNow(String action, String operationId, String stage, StageState state, String error) {
        db.write(action, c -> {
            requireRunning(c, operationId);
            try (StageStatements statements = new StageStatements(c)) {
                statements.apply(new StageChange(operationId, stage, state, db.now(), error));
            }
            return null;
        });
    }

    /**
     * A stage's start ({@code running}) or end (a finished state), stamped when it happened, for
     * {@link #recordStages}.
     */
    public record StageChange(String operationId, String stage, StageState state, Instant at, String error) {
        public StageChange {
            Objects.requireNonNull(operationId, "operationId");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(at, "at");
            if (state == StageState.PENDING) {
                throw new IllegalArgumentException("a stage change starts (running) or ends a stage, not pending");
            }
        }
    }

    /**
     * Applies stage changes in order, all in one transaction, as {@link #startStage} and
     * {@link #finishStage} would have when they happened. A change to an operation that is missing or
     * has ended is skipped, so one late change cannot undo the others. Returns how many were applied.
     */
    public int recordStages(List<StageChange> changes) {
        if (changes.isEmpty()) {
            return 0;
        }
        return db.write("record " + changes.size() + " stage change(s)", c -> {
            Map<String, Boolean> running = new HashMap<>();
            int applied = 0;
            try (StageStatements statements = new StageStatements(c)) {
                for (StageChange change : changes) {
                    Boolean open = running.get(change.operationId());
                    if (open == null) {
                        open = statements.state(change.operationId()).filter(state -> !state.isFinished()).isPresent();
                        running.put(change.operationId(), open);
                    }
                    if (open) {
                        statements.apply(change);
                        applied++;
                    }
                }
            }
            return applied;
        });
    }

    /**
     * The statements that write stage changes, each prepared once per transaction however many
     * changes it applies (the stage writer's batches hold dozens): preparing one costs SQLite more
     * than running it.
     */
    private static final class StageStatements implements AutoCloseable {
        private final Connection connection;
        private PreparedStatement state;
        private PreparedStatement update;
        private PreparedStatement insert;

        StageStatements(Connection connection) {
            this.connection = connection;
        }

        /** The operation's state, or empty when there is no such operation. */
        Optional<OperationState> state(String operationId) throws SQLException {
            if (state == null) {
                state = connection.prepareStatement(STATE);
            }
            return OperationRepository.state(state, operationId);
        }

        /**
         * Writes one change: a start sets the start time, an end the end time (null times leave the
         * stored ones); a stage that was not planned is appended.
         */
        void apply(StageChange change) throws SQLException {
            boolean starts = change.state() == StageState.RUNNING;
            Instant at = ColumnCodec.stored(change.at());
            String startedAt = ColumnCodec.timeText(starts ? at : null);
            String endedAt = ColumnCodec.timeText(starts ? null : at);
            String state = ColumnCodec.enumText(change.state());
            if (update == null) {
                update = connection.prepareStatement("""
                        UPDATE operation_stages
                        SET state = ?, started_at = coalesce(?, started_at), ended_at = coalesce(?, ended_at), error = ?
                        WHERE operation_id = ? AND name = ?""");
            }
            update.setString(1, state);
            update.setString(2, startedAt);
            update.setString(3, endedAt);
            update.setString(4, change.error());
            update.setString(5, change.operationId());
            update.setString(6, change.stage());
            if (update.executeUpdate() > 0) {
                return;
            }
            if (insert == null) {
                insert = connection.prepareStatement("""
                        INSERT INTO operation_stages (operation_id, name, position, state, started_at, ended_at, error)
                        VALUES (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM operation_stages WHERE operation_id = ?), ?, ?, ?, ?)""");
            }
            insert.setString(1, change.operationId());
            insert.setString(2, change.stage());
            insert.setString(3, change.operationId());
            insert.setString(4, state);
            insert.setString(5, startedAt);
            insert.setString(6, endedAt);
            insert.setString(7, change.error());
            insert.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement statement : new PreparedStatement[] {state, update, insert}) {
                if (statement != null) {
                    statement.close();
                }
            }
        }
    }

    /** Now, at the precision stored times keep: the time a {@link StageChange} is stamped with. */
    public Instant now() {
        return db.now();
    }

    /**
     * Ends the operation. Stages still pending become {@code skipped}; stages still running become
     * {@code failed}, since nothing will finish them now. Returns the final record.
     */
    public Operation finish(String operationId, OperationState outcome, String error) {
        Objects.requireNonNull(outcome, "outcome");
        if (!outcome.isFinished()) {
            throw new StoreException(ErrorKind.INVALID_ARGUMENT, "an operation must finish as succeeded or failed");
        }
        return db.write("finish operation " + operationId, c -> {
            requireRunning(c, operationId);
            closeOpenStages(c, operationId, db.now());
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE operations SET state = ?, error = ?, ended_at = ? WHERE id = ?")) {
                ps.setString(1, ColumnCodec.enumText(outcome));
                ps.setString(2, error);
                ps.setString(3, ColumnCodec.timeText(db.now()));
                ps.setString(4, operationId);
                ps.executeUpdate();
            }
            return select(c, operationId).orElseThrow();
        });
    }

    /**
     * Fails every operation still marked running, e.g. when the daemon starts after a crash and
     * nothing can be driving them any more. Returns how many were failed.
     */
    public int failUnfinished(String reason) {
        Objects.requireNonNull(reason, "reason");
        return db.write("fail unfinished operations", c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM operations WHERE state = ?")) {
                ps.setString(1, ColumnCodec.enumText(OperationState.RUNNING));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            Instant now = db.now();
            for (String id : ids) {
                closeOpenStages(c, id, now);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE operations SET state = ?, error = ?, ended_at = ? WHERE id = ?")) {
                    ps.setString(1, ColumnCodec.enumText(OperationState.FAILED));
                    ps.setString(2, reason);
                    ps.setString(3, ColumnCodec.timeText(now));
                    ps.setString(4, id);
                    ps.executeUpdate();
                }
            }
            return ids.size();
        });
    }

    public Optional<Operation> find(String operationId) {
        return db.read("read operation " + operationId, c -> select(c, operationId));
    }

    /** The operation with its stages, or a {@link ErrorKind#NOT_FOUND} error. */
    public Operation get(String operationId) {
        return find(operationId).orElseThrow(() -> notFound(operationId));
    }

    /** The operation's state, or empty when there is no such operation. */
    private static Optional<OperationState> state(Connection c, String operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(STATE)) {
            return state(ps, operationId);
        }
    }

    private static Optional<OperationState> state(PreparedStatement ps, String operationId) throws SQLException {
        ps.setString(1, operationId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            RowReader row = new RowReader(rs, "operations");
            row.identify("id '" + operationId + "'");
            return Optional.of(row.enumValue("state", OperationState.class));
        }
    }

    private static void requireRunning(Connection c, String operationId) throws SQLException {
        OperationState state = state(c, operationId).orElseThrow(() -> notFound(operationId));
        if (state.isFinished()) {
            throw new StoreException(ErrorKind.PRECONDITION_FAILED,
                    "operation " + operationId + " has already " + ColumnCodec.enumText(state) + "; it cannot change any more");
        }
    }

    private static void closeOpenStages(Connection c, String operationId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE operation_stages SET state = ? WHERE operation_id = ? AND state = ?")) {
            ps.setString(1, ColumnCodec.enumText(StageState.SKIPPED));
            ps.setString(2, operationId);
            ps.setString(3, ColumnCodec.enumText(StageState.PENDING));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE operation_stages SET state = ?, ended_at = ?, error = coalesce(error, ?)
                WHERE operation_id = ? AND state = ?""")) {
            ps.setString(1, ColumnCodec.enumText(StageState.FAILED));
            ps.setString(2, ColumnCodec.timeText(now));
            ps.setString(3, "the operation ended while this stage was running");
            ps.setString(4, operationId);
            ps.setString(5, ColumnCodec.enumText(StageState.RUNNING));
            ps.executeUpdate();
        }
    }

    private static Optional<Operation> select(Connection c, String operationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE o.id = ? ORDER BY s.position")) {
            ps.setString(1, operationId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                RowReader op = new RowReader(rs, "operations");
                op.identify("id '" + operationId + "'");
                OperationKind kind = op.enumValue("kind", OperationKind.class);
                String target = op.text("target");
                OperationState state = op.enumValue("state", OperationState.class);
                String error = op.optionalText("error");
                Instant startedAt = op.instant("started_at");
                Instant endedAt = op.optionalInstant("ended_at");
                List<Stage> stages = new ArrayList<>();
                RowReader stage = new RowReader(rs, "operation_stages").labelPrefix("stage_");
                do {
                    if (rs.getObject("stage_name") != null) {
                        stage.identify("operation '" + operationId + "', stage '" + stage.raw("stage_name") + "'");
                        long position = stage.integer("stage_position");
                        if (position < 0 || position > Integer.MAX_VALUE) {
                            throw stage.corrupt("stage_position", "holds " + position + " where a position from 0 is expected");
                        }
                        stages.add(new Stage(stage.text("stage_name"), (int) position,
                                stage.enumValue("stage_state", StageState.class),
                                stage.optionalInstant("stage_started_at"), stage.optionalInstant("stage_ended_at"),
                                stage.optionalText("stage_error")));
                    }
                } while (rs.next());
                return Optional.of(new Operation(operationId, kind, target, state, error, startedAt, endedAt, stages));
            }
        }
    }

    static StoreException notFound(String operationId) {
        return new StoreException(ErrorKind.NOT_FOUND, "operation " + operationId + " not found; it may have been pruned or the id is mistyped");
    }
}
