"""Property tests: hostile paths never lead to a write (or read) outside the allowed files.

A data dir is planted with links that point outside (symlinked files and folders, a dangling
link, a hard link, a FIFO) next to an `outside` folder; thousands of generated requests go through
the whole write path (check_request -> resolve_for_write -> append_once). Afterwards `outside` is
byte-identical and the only changes inside are to allow-listed files.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from praxis.errors import PolicyViolation
from praxis.tools.manifest import Manifest
from praxis.tools.policy import (
    append_once,
    check_request,
    normalise,
    resolve_for_read,
    resolve_for_write,
)

ALLOWED_FILES = ("JOURNAL.md", "LEARNINGS.md", "AGENTS.md", "METRICS.md", "PROPOSALS.md")
MANIFEST = Manifest(
    "praxis-data-write", "Controlled writes.", "shell", 2, True, True, (*ALLOWED_FILES, "notes")
)
OUT = "\x01OUT\x01"  # replaced by the real outside folder's absolute path
DATA = "\x01DATA\x01"  # replaced by the real data folder's absolute path
PIECES = [
    "..", ".", "", "...", "JOURNAL.md", "journal.md", "LEARNINGS.md", "AGENTS.md", "METRICS.md",
    "PROPOSALS.md", "GOALS.md", "notes", "escape", "pipe", "outside", "secret.txt", "hard.txt",
    "deep", "tools", "praxis.toml", ".env", "praxis.db", "backups", "data", "data-link", "~", "C:",
    "%2e%2e", "a" * 256, "b" * 200, "\x00", "\n", "\x7f", " ", "\\", "\u2215", "\u2044", "\uff0f",
    "\u202e", "\u200b", "\ufeff", "\u00a0", "ＪＯＵＲＮＡＬ.md", "cafe\u0301", "\u2024\u2024",
    "\udcff", OUT, DATA,
]  # fmt: skip
SEPARATORS = ["/", "//", "/./", "/../", "\\", "\u2215", "\uff0f", "\x00/", ""]

PREFIXES = st.sampled_from(
    [
        *("", "/", "./", "../", "../../", f"{OUT}/", f"{DATA}/", "notes/escape/"),
        *("notes/escape/deep/", "notes/up/", "notes/up/tools/", "notes/up/notes/"),
    ]
)
# Well-formed names: these get past normalisation, so only the filesystem checks stand between
# them and the links planted in the data dir.
NAMES = [
    *("..", ".", "JOURNAL.md", "METRICS.md", "LEARNINGS.md", "AGENTS.md", "PROPOSALS.md"),
    *("notes", "escape", "up", "deep", "pipe", "secret.txt", "hard.txt", "new.md", "tools"),
    *("praxis.toml", ".env", "outside", "data"),
]
hostile_paths = st.builds(
    lambda prefix, parts, seps: prefix + "".join(p + s for p, s in zip(parts, seps, strict=False)),
    PREFIXES,
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=10)), max_size=8),
    st.lists(st.sampled_from(SEPARATORS), max_size=8),
).map(lambda p: p.rstrip("/") if p.strip("/") else p)
plausible_paths = st.builds(
    lambda prefix, parts: prefix + "/".join(parts),
    PREFIXES,
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=4),
)
benign_paths = st.one_of(
    st.sampled_from(ALLOWED_FILES),
    st.from_regex(r"(\./)?notes(/[a-z]{1,6}){0,2}/[a-z]{1,6}\.md", fullmatch=True),
)
any_path = st.one_of(hostile_paths, plausible_paths, benign_paths, st.text(max_size=40))
texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)


def plant(base: Path) -> tuple[Path, Path]:
    data, outside = base / "data", base / "outside"
    (data / "notes").mkdir(parents=True)
    (outside / "deep").mkdir(parents=True)
    (data / "JOURNAL.md").write_text("# Journal\n")
    (data / "METRICS.md").write_text("# Metrics\n")
    (data / "praxis.toml").write_text("[agent]\n")
    (data / "tools").mkdir()
    (outside / "secret.txt").write_text("secret\n")
    (outside / "hard.txt").write_text("hard\n")
    (data / "LEARNINGS.md").symlink_to("../outside/secret.txt")
    (data / "PROPOSALS.md").symlink_to("../outside/new.txt")  # dangling
    os.link(outside / "hard.txt", data / "AGENTS.md")
    (data / "notes" / "escape").symlink_to(outside, target_is_directory=True)
    (data / "notes" / "up").symlink_to("..", target_is_directory=True)
    os.mkfifo(data / "notes" / "pipe")
    (base / "data-link").symlink_to(data, target_is_directory=True)
    return data, outside


def snapshot(base: Path) -> dict[str, tuple[str, bytes]]:
    """Every entry under `base`, never following links: kind + content/target."""
    found: dict[str, tuple[str, bytes]] = {}
    for directory, dirnames, filenames in os.walk(base, followlinks=False):
        for name in [*dirnames, *filenames]:
            path = Path(directory) / name
            rel = path.relative_to(base).as_posix()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path).encode())
            elif path.is_dir():
                found[rel] = ("dir", b"")
            elif path.is_file():
                found[rel] = ("file", path.read_bytes())
            else:
                found[rel] = ("other", b"")
    return found


def expand(path: str, data: Path, outside: Path) -> str:
    return path.replace(OUT, str(outside)).replace(DATA, str(data))


def allowed_change(rel: str, kind: str) -> bool:
    if not rel.startswith("data/"):
        return False
    inside = rel[len("data/") :]
    if inside in ("JOURNAL.md", "METRICS.md"):
        return kind == "file"
    return inside.startswith("notes/") and kind in ("file", "dir")


@settings(max_examples=2000, deadline=None)
@given(any_path)
def test_normalise_is_total_and_its_output_is_plain(raw: str) -> None:
    try:
        clean = normalise(raw)
    except PolicyViolation as refused:
        assert refused.message and refused.hint
        return
    parts = clean.split("/")
    assert not clean.startswith("/")
    assert all(part not in ("", ".", "..") for part in parts)
    assert "\\" not in clean and "\x00" not in clean
    assert len(clean.encode("utf-8")) <= 1024
    assert unicodedata.normalize("NFKC", clean) == clean
    assert normalise(clean) == clean


def test_no_hostile_request_writes_outside_the_allowed_files() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        data, outside = plant(base)
        before = snapshot(base)
        outcomes: list[bool] = []

        @settings(
            max_examples=1000,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(
            paths=st.lists(any_path, min_size=1, max_size=3),
            text=texts,
            via_link=st.integers(0, 9),
        )
        def attempt(paths: list[str], text: str, via_link: int) -> None:
            root = base / "data-link" if via_link == 0 else data
            wanted = [expand(p, data, outside) for p in paths]
            try:
                clean = check_request(MANIFEST, wanted, text, 2)
                targets = [resolve_for_write(root, p) for p in clean]
                for target in targets:
                    append_once(target, text)
            except PolicyViolation:
                outcomes.append(False)
                return
            assert via_link != 0, "a symlinked data dir must refuse every write"
            outcomes.append(True)

        attempt()
        after = snapshot(base)

    assert {k: v for k, v in after.items() if not k.startswith("data/")} == {
        k: v for k, v in before.items() if not k.startswith("data/")
    }, "something outside the data dir changed"
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    for rel in changed:
        assert rel in after, f"{rel} disappeared"
        assert allowed_change(rel, after[rel][0]), f"{rel} changed but is not allow-listed"
    assert outcomes.count(True) >= 10 and outcomes.count(False) >= 300, outcomes.count(True)
    assert any(k.startswith("data/notes/") for k in changed)


def test_no_hostile_read_leaves_the_data_dir() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data, _ = plant(Path(tmp))
        (data / ".env").write_text("OPENAI_API_KEY=sk-secret\n")
        real_data = os.path.realpath(data)
        served: list[str] = []

        @settings(max_examples=1000, deadline=None)
        @given(raw=any_path, roots=st.sampled_from([["."], ["notes"], ["notes", "JOURNAL.md"]]))
        def read(raw: str, roots: list[str]) -> None:
            try:
                path = resolve_for_read(data, expand(raw, data, Path(tmp) / "outside"), roots)
            except PolicyViolation:
                return
            assert not path.is_symlink() and path.is_file()
            real = os.path.realpath(path)
            assert os.path.commonpath([real, real_data]) == real_data
            assert os.stat(real).st_nlink == 1
            assert Path(real).name != ".env"
            served.append(real)

        read()
    assert served, "no legitimate read was ever allowed: the test exercised nothing"
