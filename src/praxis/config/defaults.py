"""The text `praxis init` writes for each config file: defaults with comments an operator can read."""

from __future__ import annotations

import json

from praxis.config.settings import DEFAULT_CONTEXT_BUDGET


def _q(value: str) -> str:
    """A TOML basic string (JSON string escaping is valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def praxis_toml(name: str, timezone: str, data_dir: str, security_level: int) -> str:
    budget = "\n".join(
        f"[[context.budget]]\nsource = {_q(e.source)}\npriority = {e.priority}\nmax_pct = {e.max_pct!r}\n"
        for e in DEFAULT_CONTEXT_BUDGET
    )
    return f"""# Praxis instance settings. Edit freely: Praxis preserves comments when it changes a value.

[instance]
name = {_q(name)}
timezone = {_q(timezone)}  # IANA name, used for quiet hours and day boundaries
data_dir = {_q(data_dir)}  # re-stamped with the directory Praxis was started with

[runtime]
quiet_hours_start = "23:00"  # HH:MM local time; equal start and end means never quiet
quiet_hours_end = "07:00"
state_file = "session_state.json"
daily_backup_snapshots = false
snapshot_retention_days = 7
snapshot_retention_count = 7

[database]
path = "praxis.db"

[security]
level = {security_level}  # 1 (most restrictive) .. 4; tools above this level are refused

[agent]
backend = "stub"  # stub, claude, openai, ollama or router
profile = "quality"  # quality, budget or offline (see profiles.toml)
context_ceiling_pct = 0.8
local_first_fallback = false
freeze_on_model_regression = false
max_tool_calls = 8
canary_max_age_days = 7
approval_wait_hours = 72  # a session parked on an approval closes as approval_expired after this
max_reply_bytes = 200000  # a model reply larger than this is refused (never read on or stored)

[memory]
hot_days = 14  # hot memories older than this move to cold memory (daily consolidation)
hot_capacity = 500  # ... and so do the oldest beyond this many
max_chars = 600  # a stored memory and a JOURNAL.md summary are cut to this many characters
merge_similarity = 0.8  # near-duplicates (token-set similarity) merge into one cold memory
decay_after_days = 90  # cold memories not reinforced for this long lose weight, once a day
decay_factor = 0.97
decay_floor = 0.25

[tools.shell]  # the built-in shell tool: argv only (no shell string), run in workspace/
allowed_commands = ["ls", "cat", "head", "tail", "wc", "grep", "date", "echo", "pwd"]
safe_commands = ["ls", "echo", "pwd", "wc"]  # these run without approval
timeout_seconds = 30
max_output_bytes = 16384

[context]
window_tokens = 12000

{budget}"""


PROVIDERS_TOML = """# Model routes. `agent.backend = "router"` tries them in file order.
# base_url is a BASE url (not a full endpoint); api_key_env names the variable holding the key.
# Prices (USD per million tokens) override the built-in price table.
# tools = false on a route: never send it tool definitions (for servers that reject them).

[[providers]]
provider = "claude"
model = "claude-3-5-sonnet-latest"
base_url = "https://api.anthropic.com"
api_key_env = "ANTHROPIC_API_KEY"
timeout_seconds = 45

[[providers]]
provider = "openai"
model = "gpt-5.4-mini"
base_url = "https://api.openai.com/v1"
api = "chat"  # chat (Chat Completions, any OpenAI-compatible server) or responses
api_key_env = "OPENAI_API_KEY"
timeout_seconds = 45

[[providers]]
provider = "ollama"
model = "llama3.2"
base_url = "http://127.0.0.1:11434"
timeout_seconds = 45
"""

BUDGETS_TOML = """# Spending limits. Every model call is checked BEFORE it is made against a worst-case
# estimate (prompt tokens + maximum output tokens, priced); a call that could cross a limit is
# not made. Retries and failover attempts count as attempts.

[run]  # per session (decide + act each send the budgeted context, up to ~9,600 tokens)
max_attempts = 12
max_tokens = 40000
max_cost_usd = 0.25

[ask]  # per `praxis ask` (an attachment of 100,000 bytes is ~25,000 tokens)
max_attempts = 6
max_tokens = 30000
max_cost_usd = 0.1

[daily]  # across sessions, asks and canaries, per local day (operator's timezone)
max_tokens = 1000000
max_cost_usd = 2.0

[monthly]  # per local calendar month
max_tokens = 20000000
max_cost_usd = 30.0
"""

PROFILES_TOML = """# Model profiles; `agent.profile` in praxis.toml picks one.

[[profiles]]
name = "quality"

[[profiles]]
name = "budget"
backend_override = "router"
local_first_fallback = true
context_ceiling_pct = 0.65

[[profiles]]
name = "offline"
backend_override = "ollama"
local_first_fallback = true
context_ceiling_pct = 0.55
"""
