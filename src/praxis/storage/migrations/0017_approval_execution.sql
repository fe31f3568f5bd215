-- Execution is claimed before a request runs, so a crash mid-run never runs it twice:
-- an approved request with a claim but no result was interrupted and becomes `failed`.
ALTER TABLE approval_requests ADD COLUMN execution_started_at TEXT;
ALTER TABLE approval_requests ADD COLUMN result_summary TEXT;
ALTER TABLE approval_requests ADD COLUMN session_run_key TEXT;
