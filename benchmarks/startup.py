"""Start-up cost of `praxis --version` and `praxis status` as ratios of `python3 -c pass`.

Targets (SPEC §14): --version ≤ 4×, status on a fresh data dir ≤ 6×.
Prints one figure a line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import interleaved, praxis_command


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    praxis = praxis_command()
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "data")
        subprocess.run([*praxis, "--data-dir", data, "init"], check=True, stdout=subprocess.DEVNULL)
        best = interleaved(
            {
                "python": [sys.executable, "-c", "pass"],
                "version": [*praxis, "--version"],
                "status": [*praxis, "--data-dir", data, "status"],
            },
            args.runs,
        )
    base = best["python"]
    print(f"python_c_pass_ms: {base * 1000:.1f}")
    print(f"version_ms: {best['version'] * 1000:.1f}")
    print(f"status_ms: {best['status'] * 1000:.1f}")
    print(f"version_ratio: {best['version'] / base:.2f} (target <= 4)")
    print(f"status_ratio: {best['status'] / base:.2f} (target <= 6)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
