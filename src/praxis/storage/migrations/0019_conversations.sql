-- The act phase's conversation, stored as it happens: a resumed session (after a crash, or after
-- the operator decided a parked approval) continues it, and a call whose result is stored is
-- never made again. A tool row with NULL content is a call still waiting for its result.
CREATE TABLE IF NOT EXISTS conversation_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    role TEXT NOT NULL,
    content TEXT,
    tool_calls_json TEXT,
    tool_call_id TEXT,
    request_id INTEGER,
    stop_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (run_key, seq)
);
-- What a request's tool printed (bounded, redacted), and which model call it answers
-- (`<run key>:<assistant seq>:<index>`), so a resumed conversation finds it again.
ALTER TABLE approval_requests ADD COLUMN output TEXT;
ALTER TABLE approval_requests ADD COLUMN call_key TEXT;
CREATE INDEX IF NOT EXISTS approval_requests_call_key ON approval_requests(call_key);
CREATE INDEX IF NOT EXISTS approval_requests_status ON approval_requests(status, id);
-- The loop guard judges the model's own requests within a conversation and for the same goal.
ALTER TABLE tool_invocations ADD COLUMN goal_id TEXT;
CREATE INDEX IF NOT EXISTS tool_invocations_run_key ON tool_invocations(session_run_key, id);
CREATE INDEX IF NOT EXISTS tool_invocations_goal ON tool_invocations(goal_id, id);
