-- Ports each VM publishes on the host (`vm create --publish`, `vm port add`): connections to
-- host_addr:host_port reach the guest's guest_port. Installed in the host's firewall while the VM
-- runs; the rows go with the VM. A host address, port and protocol belongs to one VM at most
-- (the repository also refuses 0.0.0.0 beside any other address on the same port); a VM publishes
-- each guest port and protocol once.
CREATE TABLE vm_ports (
    vm_id      INTEGER NOT NULL REFERENCES vms (id) ON DELETE CASCADE,
    host_addr  TEXT    NOT NULL,
    host_port  INTEGER NOT NULL,
    protocol   TEXT    NOT NULL,
    guest_port INTEGER NOT NULL,
    UNIQUE (host_addr, host_port, protocol),
    UNIQUE (vm_id, guest_port, protocol)
);

CREATE INDEX vm_ports_vm_id ON vm_ports (vm_id);
