-- An event's machine-readable facts as a JSON object of strings (a vm.state event: the VM's new state, host and
-- state_detail), or null when it has none (docs/API.md, Events).
ALTER TABLE events ADD COLUMN data VARCHAR;
