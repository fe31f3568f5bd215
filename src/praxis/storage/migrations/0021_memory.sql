-- Memory tiers (issue 12): flags that rank a memory down, where it came from, reinforcement and
-- decay bookkeeping, operational rows deduplicated by signature, and the runs of the daily jobs.

-- Timestamps written by the Rust original (`YYYY-MM-DD HH:MM:SS`, `+00:00`) are normalised to
-- RFC 3339 `Z`, so comparisons on the indexed text columns are comparisons of times.
UPDATE hot_memories SET created_at = COALESCE(strftime('%Y-%m-%dT%H:%M:%SZ', created_at), created_at);
UPDATE hot_memories SET last_accessed = strftime('%Y-%m-%dT%H:%M:%SZ', last_accessed)
    WHERE strftime('%Y-%m-%dT%H:%M:%SZ', last_accessed) IS NOT NULL;
UPDATE cold_memories SET created_at = COALESCE(strftime('%Y-%m-%dT%H:%M:%SZ', created_at), created_at);
UPDATE cold_memories SET last_reinforced = strftime('%Y-%m-%dT%H:%M:%SZ', last_reinforced)
    WHERE strftime('%Y-%m-%dT%H:%M:%SZ', last_reinforced) IS NOT NULL;
UPDATE do_not_repeat SET created_at = COALESCE(strftime('%Y-%m-%dT%H:%M:%SZ', created_at), created_at);
UPDATE known_bugs SET last_seen_at = COALESCE(strftime('%Y-%m-%dT%H:%M:%SZ', last_seen_at), last_seen_at);
UPDATE known_bugs SET resolved_at = strftime('%Y-%m-%dT%H:%M:%SZ', resolved_at)
    WHERE strftime('%Y-%m-%dT%H:%M:%SZ', resolved_at) IS NOT NULL;

-- Hot: `flags` (JSON list: review_failed, eval_failed, truncated) ranks a memory down; `origin`
-- is session | tool | operator; `session_id` the session that wrote it.
ALTER TABLE hot_memories ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE hot_memories ADD COLUMN origin TEXT NOT NULL DEFAULT 'session';
ALTER TABLE hot_memories ADD COLUMN session_id INTEGER;
ALTER TABLE hot_memories ADD COLUMN last_reinforced TEXT;

-- Cold: the content hash finds exact duplicates; `last_decayed` keeps decay to once a day.
ALTER TABLE cold_memories ADD COLUMN content_hash TEXT;
ALTER TABLE cold_memories ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cold_memories ADD COLUMN last_decayed TEXT;
CREATE INDEX IF NOT EXISTS cold_memories_hash ON cold_memories(content_hash);
CREATE INDEX IF NOT EXISTS cold_memories_reinforced ON cold_memories(last_reinforced);

-- Operational memory: one row per signature; a repeat bumps `count` and `last_seen_at`.
ALTER TABLE do_not_repeat ADD COLUMN signature TEXT;
ALTER TABLE do_not_repeat ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE do_not_repeat ADD COLUMN last_seen_at TEXT;
ALTER TABLE do_not_repeat ADD COLUMN resolved_at TEXT;
ALTER TABLE known_bugs ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
UPDATE do_not_repeat SET signature = lower(trim(statement)), last_seen_at = created_at;
-- The original stamped known bugs resolved at insert (its §20 item 3): those were never resolved.
UPDATE known_bugs SET resolved_at = NULL WHERE resolved_at = last_seen_at;
-- Rows the original repeated for every failing session collapse into one, with their count.
UPDATE do_not_repeat SET count = (
    SELECT COUNT(*) FROM do_not_repeat AS other WHERE other.signature = do_not_repeat.signature
), last_seen_at = (
    SELECT MAX(other.created_at) FROM do_not_repeat AS other
    WHERE other.signature = do_not_repeat.signature
);
DELETE FROM do_not_repeat WHERE id NOT IN (SELECT MAX(id) FROM do_not_repeat GROUP BY signature);
UPDATE known_bugs SET count = (
    SELECT COUNT(*) FROM known_bugs AS other
    WHERE other.signature = known_bugs.signature AND other.resolved_at IS NULL
) WHERE resolved_at IS NULL;
DELETE FROM known_bugs WHERE resolved_at IS NULL AND id NOT IN (
    SELECT MAX(id) FROM known_bugs WHERE resolved_at IS NULL GROUP BY signature
);
CREATE INDEX IF NOT EXISTS do_not_repeat_signature ON do_not_repeat(signature);

-- Memories retrieved into a session's context; reflect reinforces them once when the session
-- ends well, then deletes the rows.
CREATE TABLE IF NOT EXISTS memory_retrievals (
    run_key TEXT NOT NULL,
    tier TEXT NOT NULL,
    memory_id INTEGER NOT NULL,
    retrieved_at TEXT NOT NULL,
    PRIMARY KEY (run_key, tier, memory_id)
);

-- Consolidation and decay runs (what `status` and `doctor` show); pruned to the newest rows.
CREATE TABLE IF NOT EXISTS memory_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    counts_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS memory_runs_kind ON memory_runs(kind, id);
