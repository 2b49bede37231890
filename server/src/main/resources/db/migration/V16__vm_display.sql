-- The graphical display a VM (and a template's clones) gets besides its serial console: none | vnc (docs/CONSOLE.md).
ALTER TABLE vms ADD COLUMN display VARCHAR(8) DEFAULT 'none' NOT NULL;
ALTER TABLE templates ADD COLUMN display VARCHAR(8) DEFAULT 'none' NOT NULL;
