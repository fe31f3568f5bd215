"""Operator surfaces in files: boundaries, AGENTS.md, heartbeat, setup, status, doctor."""
