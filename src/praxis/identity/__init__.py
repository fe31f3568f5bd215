"""Identity: foundation files and goals."""
