#!/usr/bin/env bash
# Exit 0 when <data-dir>/heartbeat.json is fresher than max-age-seconds (default 900), 1 when it
# is stale, 2 on bad usage. For cron, monitoring agents and container health checks.
# PRAXIS_BIN overrides the praxis executable (default: `praxis` on PATH).
set -euo pipefail

if [[ $# -lt 1 || -z "${1}" || $# -gt 2 ]]; then
    echo "usage: check-heartbeat.sh <data-dir> [max-age-seconds]" >&2
    exit 2
fi

exec "${PRAXIS_BIN:-praxis}" --data-dir "$1" heartbeat check --max-age-seconds "${2:-900}"
