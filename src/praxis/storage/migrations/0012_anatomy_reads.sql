-- Repeated-read avoidance compares content, not only the second-resolution mtime.
ALTER TABLE anatomy_index ADD COLUMN size_bytes INTEGER;
ALTER TABLE anatomy_index ADD COLUMN content_sha256 TEXT;
ALTER TABLE anatomy_index ADD COLUMN last_read_at TEXT;
