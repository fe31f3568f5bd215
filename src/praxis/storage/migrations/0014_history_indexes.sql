-- Orient reads the newest hot memories and the heaviest cold ones every session; without these
-- indexes that is a full scan that grows with history.
CREATE INDEX IF NOT EXISTS hot_memories_created ON hot_memories(created_at, id);
CREATE INDEX IF NOT EXISTS cold_memories_weight ON cold_memories(weight, id);
CREATE INDEX IF NOT EXISTS known_bugs_signature ON known_bugs(signature);
CREATE INDEX IF NOT EXISTS do_not_repeat_statement ON do_not_repeat(statement);
