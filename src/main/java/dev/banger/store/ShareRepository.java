package dev.banger.store;

import dev.banger.model.Share;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shares of each VM ({@code vm_shares}), keyed by VM name and guest path, in the order they
 * were made; they go with the VM's row. Obtained from {@link Store#shares()} or
 * {@link VmRepository#shares()}. Thread-safe.
 */
public final class ShareRepository {
    private final Database db;

    ShareRepository(Database db) {
        this.db = db;
    }

    /** Records {@code share} for the VM: not-found without the VM, conflict when its guest path is taken. */
    public void add(String vm, Share share) {
        Objects.requireNonNull(share, "share");
        db.write("add share " + share.guestPath() + " to VM '" + vm + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO vm_shares (vm_id, guest_path, host_path, read_only, created_at)
                    SELECT id, ?, ?, ?, ? FROM vms WHERE name = ?""")) {
                ps.setString(1, share.guestPath());
                ps.setString(2, share.hostPath());
                ps.setInt(3, share.readOnly() ? 1 : 0);
                ps.setString(4, ColumnCodec.timeText(db.now()));
                ps.setString(5, vm);
                if (ps.executeUpdate() == 0) {
                    throw VmRepository.notFound(vm);
                }
            }
            return null;
        });
    }

    /** Forgets the VM's share at {@code guestPath}; false when it had none there. */
    public boolean remove(String vm, String guestPath) {
        return db.write("remove share " + guestPath + " of VM '" + vm + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM vm_shares WHERE guest_path = ? AND vm_id = (SELECT id FROM vms WHERE name = ?)")) {
                ps.setString(1, guestPath);
                ps.setString(2, vm);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The VM's shares, oldest first; empty for a VM without any (or no such VM). */
    public List<Share> list(String vm) {
        return db.read("list the shares of VM '" + vm + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT s.host_path, s.guest_path, s.read_only FROM vm_shares s JOIN vms v ON v.id = s.vm_id
                    WHERE v.name = ? ORDER BY s.created_at, s.rowid""")) {
                ps.setString(1, vm);
                List<Share> shares = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    RowReader row = new RowReader(rs, "vm_shares");
                    while (rs.next()) {
                        shares.add(new Share(row.text("host_path"), row.text("guest_path"), row.integer("read_only") != 0));
                    }
                }
                return List.copyOf(shares);
            }
        });
    }
}
