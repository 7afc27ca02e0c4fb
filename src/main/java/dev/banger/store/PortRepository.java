package dev.banger.store;

import dev.banger.model.ErrorKind;
import dev.banger.model.PortForward;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ports VMs publish on the host ({@code vm_ports}), keyed by VM name. A host address, port and
 * protocol belongs to one VM at most, and {@link PortForward#ANY} clashes with every address on its
 * port ({@link PortForward#clashesWith}); a VM publishes each guest port and protocol once. Both
 * rules are checked inside the write lock, so two requests cannot take one port. Rows go with their
 * VM's. Obtained from {@link VmRepository#ports()}. Thread-safe.
 */
public final class PortRepository {
    private static final String SELECT = """
            SELECT v.name, p.host_addr, p.host_port, p.guest_port, p.protocol
            FROM vm_ports p JOIN vms v ON v.id = p.vm_id""";

    private final Database db;

    PortRepository(Database db) {
        this.db = db;
    }

    /** The VM's forwards by host port; empty for a VM without any (or no such VM). */
    public List<PortForward> of(String vm) {
        return db.read("read the ports of VM '" + vm + "'", c -> select(c, " WHERE v.name = ?", vm).stream()
                .map(Held::forward).toList());
    }

    /** The VM holding a forward that clashes with {@code forward}, if one does. */
    public Optional<String> holder(PortForward forward) {
        return db.read("look up host port " + forward.hostSide(), c -> clash(c, forward).map(Held::vm));
    }

    /**
     * Records a forward of an existing VM. Errors: the VM is gone → not-found; the host port is
     * another forward's, or the VM already publishes that guest port → conflict.
     */
    public PortForward add(String vm, PortForward forward) {
        return db.write("publish " + forward.spec() + " for VM '" + vm + "'", c -> {
            insert(c, vm, List.of(forward));
            return forward;
        });
    }

    /** Deletes the forward {@code side} names; {@link ErrorKind#NOT_FOUND} when the VM has none such. */
    public PortForward remove(String vm, PortForward.HostSide side) {
        return db.write("unpublish " + side.describe() + " of VM '" + vm + "'", c -> {
            PortForward found = select(c, " WHERE v.name = ?", vm).stream().map(Held::forward).filter(f -> f.matches(side))
                    .findFirst()
                    .orElseThrow(() -> new StoreException(ErrorKind.NOT_FOUND, "VM '" + vm + "' publishes no "
                            + side.describe() + (side.guestPort() == null ? "" : " to guest port " + side.guestPort())
                            + "; see its ports with 'banger vm port list " + vm + "'"));
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM vm_ports WHERE vm_id = (SELECT id FROM vms WHERE name = ?)
                    AND host_addr = ? AND host_port = ? AND protocol = ?""")) {
                ps.setString(1, vm);
                ps.setString(2, found.hostAddress());
                ps.setInt(3, found.hostPort());
                ps.setString(4, found.protocol());
                ps.executeUpdate();
            }
            return found;
        });
    }

    /**
     * Inserts forwards of the named VM on the caller's transaction after checking every rule
     * against the stored rows and each other ({@link VmRepository#create} records a new VM's this way).
     */
    static void insert(Connection c, String vm, List<PortForward> forwards) throws SQLException {
        List<PortForward> mine = new ArrayList<>(select(c, " WHERE v.name = ?", vm).stream().map(Held::forward).toList());
        List<Held> batch = new ArrayList<>();
        for (PortForward forward : forwards) {
            Optional<Held> clash = clash(c, forward).or(() -> batch.stream().filter(h -> h.forward().clashesWith(forward)).findFirst());
            if (clash.isPresent()) {
                throw new StoreException(ErrorKind.CONFLICT, "host port " + forward.hostSide() + " is already published by VM '"
                        + clash.get().vm() + "' (" + clash.get().forward().spec() + "); choose another host port or remove that"
                        + " forward with 'banger vm port rm " + clash.get().vm() + " " + clash.get().forward().hostSide() + "'");
            }
            Optional<PortForward> twin = mine.stream()
                    .filter(f -> f.guestPort() == forward.guestPort() && f.protocol().equals(forward.protocol())).findFirst();
            if (twin.isPresent()) {
                throw new StoreException(ErrorKind.CONFLICT, "VM '" + vm + "' already publishes guest port " + forward.guestPort()
                        + "/" + forward.protocol() + " (" + twin.get().spec() + "); a guest port is published once — remove it"
                        + " first with 'banger vm port rm " + vm + " " + twin.get().hostSide() + "'");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO vm_ports (vm_id, host_addr, host_port, protocol, guest_port)
                    VALUES ((SELECT id FROM vms WHERE name = ?), ?, ?, ?, ?)""")) {
                ps.setString(1, vm);
                ps.setString(2, forward.hostAddress());
                ps.setInt(3, forward.hostPort());
                ps.setString(4, forward.protocol());
                ps.setInt(5, forward.guestPort());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (SqlErrors.isForeignKeyViolation(e) || e.getMessage() != null && e.getMessage().contains("NOT NULL")) {
                    throw VmRepository.notFound(vm);
                }
                throw e;
            }
            mine.add(forward);
            batch.add(new Held(vm, forward));
        }
    }

    private static Optional<Held> clash(Connection c, PortForward forward) throws SQLException {
        return select(c, " WHERE p.host_port = ? AND p.protocol = ?", forward.hostPort(), forward.protocol()).stream()
                .filter(h -> h.forward().clashesWith(forward)).findFirst();
    }

    private static List<Held> select(Connection c, String where, Object... values) throws SQLException {
        List<Held> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + where + " ORDER BY p.host_port, p.host_addr, p.protocol")) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(decode(rs));
                }
            }
        }
        return rows;
    }

    private static Held decode(ResultSet rs) throws SQLException {
        String vm = rs.getString("name");
        try {
            return new Held(vm, new PortForward(rs.getString("host_addr"), rs.getInt("host_port"), rs.getInt("guest_port"),
                    rs.getString("protocol")));
        } catch (RuntimeException e) {
            throw new StoreException(ErrorKind.INTERNAL, "table vm_ports holds a forward of VM '" + vm + "' that cannot be read ("
                    + e.getMessage() + "); remove it with 'banger vm port rm " + vm + " " + rs.getString("host_addr") + ":"
                    + rs.getInt("host_port") + "/" + rs.getString("protocol") + "'", e);
        }
    }

    /** A stored forward and the VM that holds it. */
    private record Held(String vm, PortForward forward) {}
}
