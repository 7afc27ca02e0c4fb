-- Host directories a VM sees (banger vm create --share, banger vm share): the canonical host path,
-- the guest's mount point (one share per mount point) and whether the guest may only read.
-- They go with the VM row.
CREATE TABLE vm_shares (
    vm_id      INTEGER NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    guest_path TEXT    NOT NULL,
    host_path  TEXT    NOT NULL,
    read_only  INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (vm_id, guest_path)
);
