-- vmByName looks VMs up by name, deleted ones included (live_name only covers the others).
CREATE INDEX vms_name_idx ON vms (name);
