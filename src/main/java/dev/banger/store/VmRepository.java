package dev.banger.store;

import dev.banger.model.ErrorKind;
import dev.banger.model.Ipv4Subnet;
import dev.banger.model.NetworkAllocation;
import dev.banger.model.Vm;
import dev.banger.model.VmState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * VM rows and their network allocations (IP, MAC, vsock CID), keyed by VM name. Obtained from
 * {@link Store#vms()}. Thread-safe: allocation happens inside the store's write lock in the same
 * transaction as the row insert, so concurrent creates never share an address; deleting the row
 * frees its addresses for reuse.
 */
public final class VmRepository {
    private static final String SELECT = """
            SELECT v.id, v.name, i.name AS image, v.state, v.vcpus, v.memory_mib, v.disk_bytes,
                   a.ip, a.mac, a.vsock_cid, v.vmm, v.pid, v.created_at, v.updated_at
            FROM vms v
            JOIN images i ON i.id = v.image_id
            LEFT JOIN vm_allocations a ON a.vm_id = v.id""";

    private final Database db;
    private final PortRepository ports;
    private final ShareRepository shares;

    VmRepository(Database db) {
        this.db = db;
        this.ports = new PortRepository(db);
        this.shares = new ShareRepository(db);
    }

    /** The ports VMs publish, kept with their rows. */
    public PortRepository ports() {
        return ports;
    }

    /** The shares of these VMs, which go with their rows. */
    public ShareRepository shares() {
        return shares;
    }

    /**
     * Inserts a VM in state {@link VmState#CREATING} with the lowest free guest address of
     * {@code subnet}, the MAC derived from it and the lowest free vsock CID. Errors: bad spec →
     * invalid-argument; unknown image → not-found; name taken, or a published host port taken
     * ({@link PortRepository}) → conflict; subnet full → precondition-failed. On error nothing is stored.
     */
    public Vm create(NewVm spec, Ipv4Subnet subnet) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(subnet, "subnet");
        spec.validate();
        return db.write("create VM '" + spec.name() + "'", c -> {
            long imageId = imageId(c, spec.image());
            NetworkAllocation network = allocate(c, subnet);
            Instant now = db.now();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO vms (name, image_id, state, vcpus, memory_mib, disk_bytes, vmm, pid, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)""")) {
                ps.setString(1, spec.name());
                ps.setLong(2, imageId);
                ps.setString(3, ColumnCodec.enumText(VmState.CREATING));
                ps.setInt(4, spec.vcpus());
                ps.setInt(5, spec.memoryMib());
                ps.setLong(6, spec.diskBytes());
                ps.setString(7, spec.vmm());
                ps.setString(8, ColumnCodec.timeText(now));
                ps.setString(9, ColumnCodec.timeText(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO vm_allocations (vm_id, ip, mac, vsock_cid)
                    VALUES ((SELECT id FROM vms WHERE name = ?), ?, ?, ?)""")) {
                ps.setString(1, spec.name());
                ps.setString(2, network.ip());
                ps.setString(3, network.mac());
                ps.setLong(4, network.vsockCid());
                ps.executeUpdate();
            }
            PortRepository.insert(c, spec.name(), spec.ports());
            return select(c, spec.name()).orElseThrow();
        });
    }

    public Optional<Vm> find(String name) {
        return db.read("read VM '" + name + "'", c -> select(c, name));
    }

    /** The named VM, or a {@link ErrorKind#NOT_FOUND} error. */
    public Vm get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    /** All VMs, ordered by name. */
    public List<Vm> list() {
        return db.read("list VMs", c -> {
            List<Vm> vms = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY v.name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    vms.add(decode(rs));
                }
            }
            return vms;
        });
    }

    /** Sets the state (and the updated time); a missing VM is {@link ErrorKind#NOT_FOUND}. */
    public Vm updateState(String name, VmState state) {
        Objects.requireNonNull(state, "state");
        return update(name, "set the state of VM '" + name + "' to " + ColumnCodec.enumText(state),
                "UPDATE vms SET state = ?, updated_at = ? WHERE name = ?",
                ps -> ps.setString(1, ColumnCodec.enumText(state)));
    }

    /** Records the VMM process id, or clears it with {@code null}; a missing VM is {@link ErrorKind#NOT_FOUND}. */
    public Vm updatePid(String name, Long pid) {
        if (pid != null && pid < 1) {
            throw new StoreException(ErrorKind.INVALID_ARGUMENT, "a process id must be positive, got " + pid);
        }
        return update(name, "record the VMM process of VM '" + name + "'",
                "UPDATE vms SET pid = ?, updated_at = ? WHERE name = ?",
                ps -> {
                    if (pid == null) {
                        ps.setNull(1, Types.INTEGER);
                    } else {
                        ps.setLong(1, pid);
                    }
                });
    }

    /**
     * Records a lifecycle step in one write: state, VMM pid (null when none runs) and the host-side
     * runtime JSON (null to keep what is stored).
     */
    public Vm recordLifecycle(String name, VmState state, Long pid, String runtimeJson) {
        return recordLifecycleIf(name, EnumSet.allOf(VmState.class), state, pid, runtimeJson).orElseThrow(() -> notFound(name));
    }

    /**
     * {@link #recordLifecycle}, only while the VM's state is one of {@code from}: the guard is part
     * of the same statement, so a checked transition costs no read of its own.
     *
     * @return the VM as written; empty when no VM of that name is in one of {@code from}
     */
    public Optional<Vm> recordLifecycleIf(String name, Set<VmState> from, VmState state, Long pid, String runtimeJson) {
        Objects.requireNonNull(state, "state");
        if (pid != null && pid < 1) {
            throw new StoreException(ErrorKind.INVALID_ARGUMENT, "a process id must be positive, got " + pid);
        }
        if (from.isEmpty()) {
            return Optional.empty();
        }
        String states = String.join(", ", Collections.nCopies(from.size(), "?"));
        return db.write("record the " + ColumnCodec.enumText(state) + " state of VM '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE vms SET state = ?, pid = ?, runtime_json = COALESCE(?, runtime_json),"
                    + " updated_at = ? WHERE name = ? AND state IN (" + states + ")")) {
                ps.setString(1, ColumnCodec.enumText(state));
                if (pid == null) {
                    ps.setNull(2, Types.INTEGER);
                } else {
                    ps.setLong(2, pid);
                }
                ps.setString(3, runtimeJson);
                ps.setString(4, ColumnCodec.timeText(db.now()));
                ps.setString(5, name);
                int i = 6;
                for (VmState allowed : from) {
                    ps.setString(i++, ColumnCodec.enumText(allowed));
                }
                if (ps.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return select(c, name);
        });
    }

    /** The host-side runtime JSON recorded for the VM, if any; a missing VM is {@link ErrorKind#NOT_FOUND}. */
    public Optional<String> runtime(String name) {
        return db.read("read the runtime of VM '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT runtime_json FROM vms WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw notFound(name);
                    }
                    return Optional.ofNullable(rs.getString(1));
                }
            }
        });
    }

    /** Changes the size of a VM (its vcpus, memory and work-disk size) in one write. */
    public Vm resize(String name, int vcpus, int memoryMib, long diskBytes) {
        new NewVm(name, "-", vcpus, memoryMib, diskBytes, "-").validate();
        return db.write("resize VM '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE vms SET vcpus = ?, memory_mib = ?, disk_bytes = ?, updated_at = ? WHERE name = ?")) {
                ps.setInt(1, vcpus);
                ps.setInt(2, memoryMib);
                ps.setLong(3, diskBytes);
                ps.setString(4, ColumnCodec.timeText(db.now()));
                ps.setString(5, name);
                if (ps.executeUpdate() == 0) {
                    throw notFound(name);
                }
            }
            return select(c, name).orElseThrow();
        });
    }

    /** Deletes the row and frees its addresses; returns false when there was no such VM. */
    public boolean delete(String name) {
        return db.write("delete VM '" + name + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM vms WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs an UPDATE whose parameters are (value, updated_at, name). */
    private Vm update(String name, String action, String sql, Binder value) {
        return db.write(action, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                value.bind(ps);
                ps.setString(2, ColumnCodec.timeText(db.now()));
                ps.setString(3, name);
                if (ps.executeUpdate() == 0) {
                    throw notFound(name);
                }
            }
            return select(c, name).orElseThrow();
        });
    }

    private static long imageId(Connection c, String image) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM images WHERE name = ?")) {
            ps.setString(1, image);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ImageRepository.notFound(image);
                }
                return rs.getLong(1);
            }
        }
    }

    private static NetworkAllocation allocate(Connection c, Ipv4Subnet subnet) throws SQLException {
        Set<Integer> usedAddresses = new HashSet<>();
        Set<Long> usedCids = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.vm_id, v.name, a.ip, a.vsock_cid
                FROM vm_allocations a LEFT JOIN vms v ON v.id = a.vm_id""");
                ResultSet rs = ps.executeQuery()) {
            RowReader row = new RowReader(rs, "vm_allocations");
            while (rs.next()) {
                row.identify("vm_id " + row.raw("vm_id") + ", VM '" + row.raw("name") + "'");
                usedAddresses.add(Ipv4Subnet.parseAddress(row.ipv4("ip")));
                usedCids.add(row.integer("vsock_cid"));
            }
        }
        OptionalInt address = AddressAllocator.lowestFreeAddress(subnet, usedAddresses);
        if (address.isEmpty()) {
            throw new StoreException(ErrorKind.PRECONDITION_FAILED,
                    "no free IP address left in subnet " + subnet + ": all " + subnet.guestCapacity()
                            + " guest addresses are allocated; delete VMs you no longer need or configure a larger subnet");
        }
        return new NetworkAllocation(
                Ipv4Subnet.formatAddress(address.getAsInt()),
                AddressAllocator.macFor(address.getAsInt()),
                AddressAllocator.lowestFreeCid(usedCids));
    }

    private static Optional<Vm> select(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE v.name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(decode(rs)) : Optional.empty();
            }
        }
    }

    private static Vm decode(ResultSet rs) throws SQLException {
        RowReader row = new RowReader(rs, "vms").columnsFrom("vm_allocations", "ip", "mac", "vsock_cid");
        row.identify("id " + row.raw("id") + ", name '" + row.raw("name") + "'");
        String name = row.text("name");
        VmState state = row.enumValue("state", VmState.class);
        int vcpus = row.positiveInt("vcpus");
        int memoryMib = row.positiveInt("memory_mib");
        long diskBytes = row.positiveLong("disk_bytes");
        NetworkAllocation network = new NetworkAllocation(row.ipv4("ip"), row.mac("mac"), row.positiveLong("vsock_cid"));
        Long pid = row.optionalInteger("pid");
        return new Vm(name, row.text("image"), state, vcpus, memoryMib, diskBytes, network, row.text("vmm"), pid,
                row.instant("created_at"), row.instant("updated_at"));
    }

    static StoreException notFound(String name) {
        return new StoreException(ErrorKind.NOT_FOUND, "VM '" + name + "' not found; list VMs with 'banger vm list'");
    }
}
