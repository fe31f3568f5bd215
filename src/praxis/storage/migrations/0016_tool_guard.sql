-- The loop guard's invocation window lives in the database, so repeats are caught across
-- sessions (the original kept it in per-session state, where it could never trigger).
CREATE TABLE IF NOT EXISTS tool_invocations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL,
    tool_name TEXT NOT NULL,
    session_run_key TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tool_invocations_recorded_at ON tool_invocations(recorded_at);
