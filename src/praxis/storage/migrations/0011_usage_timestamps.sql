-- Usage rows carry their time so daily/monthly budgets and `usage --days` can be computed.
ALTER TABLE provider_attempts ADD COLUMN recorded_at TEXT;
ALTER TABLE provider_attempts ADD COLUMN latency_ms INTEGER;
ALTER TABLE provider_attempts ADD COLUMN error_class TEXT;
ALTER TABLE token_ledger ADD COLUMN recorded_at TEXT;
ALTER TABLE token_ledger ADD COLUMN cost_known INTEGER NOT NULL DEFAULT 1;
CREATE INDEX IF NOT EXISTS token_ledger_recorded_at ON token_ledger(recorded_at);
CREATE INDEX IF NOT EXISTS provider_attempts_session ON provider_attempts(session_id);
CREATE INDEX IF NOT EXISTS session_snapshots_started ON session_snapshots(session_started_at);
CREATE INDEX IF NOT EXISTS approval_requests_status ON approval_requests(status);
