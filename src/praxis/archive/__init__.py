"""Export, import, audit and snapshots of a data dir (SPEC §12, reference §17)."""
