-- Which project owns a network, volume or elastic group (docs/SECURITY.md). One table for every kind of project
-- object, so a new kind needs no migration; an object with no row belongs to the project default (objects made
-- before projects owned them). The row goes in the transaction that creates the object, and with its delete.
CREATE TABLE owners (
    kind    VARCHAR(16) NOT NULL,   -- network | volume | group
    name    VARCHAR(63) NOT NULL,
    project VARCHAR(63) NOT NULL,
    CONSTRAINT owners_pk PRIMARY KEY (kind, name)
);
CREATE INDEX owners_project_idx ON owners (project);
