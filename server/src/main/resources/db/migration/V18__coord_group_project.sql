-- A coordination group is the VMs of one project labelled group=NAME (docs/COORDINATION.md): its rows are keyed by
-- NAME in the default project, as before, and by PROJECT/NAME in any other (io.polyvisor.coordination.CoordGroup).
-- A project name and a group name are 63 characters at most each.
ALTER TABLE coord_groups ALTER COLUMN group_name SET DATA TYPE VARCHAR(127);
ALTER TABLE coord_kv ALTER COLUMN group_name SET DATA TYPE VARCHAR(127);
ALTER TABLE coord_leases ALTER COLUMN group_name SET DATA TYPE VARCHAR(127);
ALTER TABLE coord_messages ALTER COLUMN group_name SET DATA TYPE VARCHAR(127);
