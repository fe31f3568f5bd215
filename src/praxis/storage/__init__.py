"""SQLite storage: connection, migrations, repositories."""
