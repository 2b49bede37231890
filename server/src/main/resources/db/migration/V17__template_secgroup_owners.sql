-- Templates and security groups belong to a project too (docs/SECURITY.md), in the owners table of V12 under the kinds
-- template and secgroup. Those made before had no project (only admins could make them): they go to default, recorded
-- here so every template and security group has its row. New ones get theirs in the transaction that creates them.
INSERT INTO owners (kind, name, project) SELECT 'template', name, 'default' FROM templates
    WHERE name NOT IN (SELECT name FROM owners WHERE kind = 'template');
INSERT INTO owners (kind, name, project) SELECT 'secgroup', name, 'default' FROM secgroups
    WHERE name NOT IN (SELECT name FROM owners WHERE kind = 'secgroup');
