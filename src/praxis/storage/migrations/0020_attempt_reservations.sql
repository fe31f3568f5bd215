-- Spend is reserved before it is spent: an attempt's row is written BEFORE the request goes out,
-- as `in_flight` and charged at its worst case (input_tokens = estimate_tokens, output_tokens = 0,
-- estimated_cost_micros = estimate_cost_micros), by the process `pid` (`pid_marker`: boot id and
-- process start time, so a reused pid is not mistaken for the owner). After the reply it is
-- `settled` with the real usage; a row whose process died on the wire becomes `unknown` and stays
-- charged at the worst case. Rows written before this migration are settled.
ALTER TABLE provider_attempts ADD COLUMN state TEXT NOT NULL DEFAULT 'settled';
ALTER TABLE provider_attempts ADD COLUMN estimate_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE provider_attempts ADD COLUMN estimate_cost_micros INTEGER NOT NULL DEFAULT 0;
ALTER TABLE provider_attempts ADD COLUMN pid INTEGER;
ALTER TABLE provider_attempts ADD COLUMN pid_marker TEXT;
ALTER TABLE provider_attempts ADD COLUMN started_at TEXT;
ALTER TABLE provider_attempts ADD COLUMN settled_at TEXT;
ALTER TABLE provider_attempts ADD COLUMN settle_note TEXT;
CREATE INDEX IF NOT EXISTS provider_attempts_in_flight ON provider_attempts(state)
    WHERE state = 'in_flight';
CREATE INDEX IF NOT EXISTS provider_attempts_run_key ON provider_attempts(run_key);
CREATE INDEX IF NOT EXISTS token_ledger_run_key ON token_ledger(run_key);
