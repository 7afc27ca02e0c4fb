-- Images, the VMs made from them, and the unique addresses each VM holds.
-- Times are UTC ISO-8601 text with milliseconds (fixed width, sortable, readable in sqlite3).
-- Enum columns hold lower-case hyphenated names; they carry no CHECK constraint on purpose so
-- that a newer banger can add states, and an older one reports such rows clearly when decoding.

CREATE TABLE images (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL UNIQUE,
    distro                TEXT    NOT NULL,
    kernel_path           TEXT    NOT NULL,
    initrd_path           TEXT,
    modules_path          TEXT,
    rootfs_path           TEXT    NOT NULL,
    work_seed_path        TEXT,
    manifest_json         TEXT    NOT NULL,
    work_seed_fingerprint TEXT,
    status                TEXT    NOT NULL,
    created_at            TEXT    NOT NULL
);

CREATE TABLE vms (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    image_id   INTEGER NOT NULL REFERENCES images (id) ON DELETE RESTRICT,
    state      TEXT    NOT NULL,
    vcpus      INTEGER NOT NULL,
    memory_mib INTEGER NOT NULL,
    disk_bytes INTEGER NOT NULL,
    vmm        TEXT    NOT NULL,
    pid        INTEGER,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE INDEX vms_image_id ON vms (image_id);

-- One row per VM; deleting the VM row frees its addresses.
CREATE TABLE vm_allocations (
    vm_id     INTEGER PRIMARY KEY REFERENCES vms (id) ON DELETE CASCADE,
    ip        TEXT    NOT NULL UNIQUE,
    mac       TEXT    NOT NULL UNIQUE,
    vsock_cid INTEGER NOT NULL UNIQUE
);
