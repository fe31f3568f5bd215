-- An attempt on a remote model without a known price has an unknown cost (never 0).
ALTER TABLE provider_attempts ADD COLUMN cost_known INTEGER NOT NULL DEFAULT 1;
CREATE INDEX IF NOT EXISTS provider_attempts_recorded_at ON provider_attempts(recorded_at);
