-- A VM's user data: text its guest reads at GET /v1/self (docs/COORDINATION.md), at most 16 KiB of UTF-8 (checked at
-- the edge; 16384 characters here). Gone with the VM's row.
CREATE TABLE vm_user_data (
    vm_id     UUID           NOT NULL,
    user_data VARCHAR(16384) NOT NULL,
    CONSTRAINT vm_user_data_pk PRIMARY KEY (vm_id),
    CONSTRAINT vm_user_data_vm_fk FOREIGN KEY (vm_id) REFERENCES vms (id) ON DELETE CASCADE
);
