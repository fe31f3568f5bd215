"""Praxis: a self-hosted runtime for one operator's personal AI agent."""

import time as _time

__version__ = "0.1.0"

# Process start, for the heartbeat's process_uptime_ms.
STARTED_MONOTONIC = _time.monotonic()
