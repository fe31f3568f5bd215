"""Memory: hot / cold / operational tiers in SQLite with FTS5 search."""
