-- What a VM holds on the host while it exists (VM dir, disks and how they were cloned, TAP, VMM
-- process and sockets, pinned SSH host keys), as JSON owned by the vm package, so teardown after a
-- daemon restart knows exactly what to undo. NULL until the create pipeline records it.
ALTER TABLE vms ADD COLUMN runtime_json TEXT;

-- Daemon-wide host state that must survive restarts, e.g. the handles of the NAT rules installed
-- for the bridge. Values are JSON text owned by the code that writes them.
CREATE TABLE daemon_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
