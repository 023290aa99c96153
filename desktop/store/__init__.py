"""The SQLite file: connection, migrations, backups and queries. No Qt, no pandas."""
