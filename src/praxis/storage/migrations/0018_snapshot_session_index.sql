-- Reflect compacts the snapshots of old sessions; this keeps finding them cheap.
CREATE INDEX IF NOT EXISTS session_snapshots_session ON session_snapshots(session_id);
