-- Every session has a run key (fixed when it starts), so reflect's writes are idempotent on resume
-- and snapshots can be keyed without relying on the start time.
ALTER TABLE sessions ADD COLUMN run_key TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS sessions_run_key ON sessions(run_key) WHERE run_key IS NOT NULL;
ALTER TABLE session_snapshots ADD COLUMN run_key TEXT;
CREATE INDEX IF NOT EXISTS session_snapshots_run_key ON session_snapshots(run_key);
CREATE INDEX IF NOT EXISTS sessions_day ON sessions(day);
ALTER TABLE hot_memories ADD COLUMN content_hash TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS hot_memories_content_hash ON hot_memories(content_hash)
    WHERE content_hash IS NOT NULL;
ALTER TABLE provider_attempts ADD COLUMN run_key TEXT;
ALTER TABLE token_ledger ADD COLUMN run_key TEXT;
