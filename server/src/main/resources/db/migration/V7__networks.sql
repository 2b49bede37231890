-- Private networks (docs/NETWORKS.md): one row per network, and one row per address a NIC holds on one.

CREATE TABLE networks (
    name    VARCHAR(15) NOT NULL,
    cidr    VARCHAR(18) NOT NULL,   -- 10.0.0.0/24
    gateway VARCHAR(15) NOT NULL,
    dhcp    BOOLEAN     NOT NULL,
    vni     INTEGER     NOT NULL,   -- the VXLAN id, from the network_vni counter
    created TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT networks_pk PRIMARY KEY (name),
    CONSTRAINT networks_vni_unique UNIQUE (vni)
);

-- Network creates lock this counter row first: they are serialized, so the overlap check sees every committed network.
INSERT INTO counters (counter, last_value) VALUES ('network_vni', 0);

-- The addresses NICs hold. The primary key is what makes an address never held twice, even by concurrent creates;
-- a network cannot be deleted while a NIC holds an address on it (foreign key); a VM's rows go with the VM row.
CREATE TABLE nic_addresses (
    network VARCHAR(15) NOT NULL,
    address VARCHAR(15) NOT NULL,
    mac     VARCHAR(17) NOT NULL,
    vm_id   UUID        NOT NULL,
    CONSTRAINT nic_addresses_pk PRIMARY KEY (network, address),
    CONSTRAINT nic_addresses_mac_unique UNIQUE (mac),
    CONSTRAINT nic_addresses_network_fk FOREIGN KEY (network) REFERENCES networks (name),
    CONSTRAINT nic_addresses_vm_fk FOREIGN KEY (vm_id) REFERENCES vms (id) ON DELETE CASCADE
);
CREATE INDEX nic_addresses_vm_idx ON nic_addresses (vm_id);

-- Security groups: their rules as JSON [{"allow":"tcp:80","from":"10.0.0.0/24"}], and which VMs are members. A group
-- with members cannot be deleted; a VM's memberships go with the VM row.
CREATE TABLE secgroups (
    name  VARCHAR(63) NOT NULL,
    rules VARCHAR     NOT NULL,
    CONSTRAINT secgroups_pk PRIMARY KEY (name)
);

CREATE TABLE secgroup_members (
    secgroup VARCHAR(63) NOT NULL,
    vm_id    UUID        NOT NULL,
    CONSTRAINT secgroup_members_pk PRIMARY KEY (secgroup, vm_id),
    CONSTRAINT secgroup_members_group_fk FOREIGN KEY (secgroup) REFERENCES secgroups (name),
    CONSTRAINT secgroup_members_vm_fk FOREIGN KEY (vm_id) REFERENCES vms (id) ON DELETE CASCADE
);
