"""Path normalisation and request policy (reference §8.5): order, limits and exact messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from praxis.errors import EXIT_FAILED, PolicyViolation, PraxisError
from praxis.tools.manifest import Manifest
from praxis.tools.policy import check_request, is_locked, is_protected, normalise

DEFAULT_ALLOWED = ("JOURNAL.md", "LEARNINGS.md", "AGENTS.md", "METRICS.md", "PROPOSALS.md")
DATA_WRITE = Manifest(
    name="praxis-data-write",
    description="Controlled writes inside the Praxis data directory.",
    kind="shell",
    required_level=2,
    requires_approval=True,
    rehearsal_required=True,
    allowed_paths=DEFAULT_ALLOWED,
)


def refused(func: Callable[..., object], *args: object) -> str:
    with pytest.raises(PolicyViolation) as info:
        func(*args)
    assert info.value.hint  # every refusal says how to fix it
    return info.value.message


def test_policy_violation_is_a_refused_action() -> None:
    assert issubclass(PolicyViolation, PraxisError)
    assert PolicyViolation("x").exit_code == EXIT_FAILED


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("JOURNAL.md", "JOURNAL.md"),
        ("./JOURNAL.md", "JOURNAL.md"),
        ("notes//a/./b.md", "notes/a/b.md"),
        ("notes/x/../b.md", "notes/b.md"),
        ("notes/", "notes"),
        ("café.md", "café.md"),
        ("日記/今日.md", "日記/今日.md"),
        ("a b.md", "a b.md"),
    ],
)
def test_normalise_accepts_plain_relative_paths(raw: str, clean: str) -> None:
    assert normalise(raw) == clean


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("/etc/passwd", "absolute paths are not allowed: /etc/passwd"),
        ("//etc/passwd", "absolute paths are not allowed: //etc/passwd"),
        ("..", "path escapes the allowed root: .."),
        ("../outside", "path escapes the allowed root: ../outside"),
        ("a/../../outside", "path escapes the allowed root: a/../../outside"),
        ("", "empty paths are not allowed: ''"),
        ("   ", "empty paths are not allowed: '   '"),
        (".", "path must name a file inside the data directory: ."),
        ("a/..", "path must name a file inside the data directory: a/.."),
        ("a\x00b", "path contains a NUL byte: 'a\\x00b'"),
        ("a\\..\\b", "backslashes are not allowed in paths: 'a\\\\..\\\\b'"),
        ("a\nb", "path contains a control character U+000A: 'a\\nb'"),
        ("a\x1b[31m", "path contains a control character U+001B: 'a\\x1b[31m'"),
        ("a\x85b", "path contains a control character U+0085: 'a\\x85b'"),
        ("..\u2215etc", "path contains a lookalike separator U+2215: '..∕etc'"),
        ("..\u2044etc", "path contains a lookalike separator U+2044: '..⁄etc'"),
        ("..\uff0fetc", "path contains a lookalike separator U+FF0F: '..／etc'"),
        ("JOURNAL\u0338.md", "path contains a lookalike separator U+0338: 'JOURNAL̸.md'"),
        (
            "\u202edm.LANRUOJ",
            "path contains an invisible or bidirectional formatting character U+202E: "
            "'\\u202edm.LANRUOJ'",
        ),
        (
            "JOURNAL\u200b.md",
            "path contains an invisible or bidirectional formatting character U+200B: "
            "'JOURNAL\\u200b.md'",
        ),
        (
            "\ufeffJOURNAL.md",
            "path contains an invisible or bidirectional formatting character U+FEFF: "
            "'\\ufeffJOURNAL.md'",
        ),
        ("a\u00a0b", "path contains an unusual space U+00A0: 'a\\xa0b'"),
        ("a\u2028b", "path contains a line separator U+2028: 'a\\u2028b'"),
        ("a\ue000b", "path contains a private-use character U+E000: 'a\\ue000b'"),
        (
            "a\U000e0001",
            "path contains an invisible or bidirectional formatting character "
            "U+E0001: 'a\\U000e0001'",
        ),
        ("cafe\u0301.md", "path is not in Unicode normal form NFC: 'cafe\u0301.md'"),
        ("ＪＯＵＲＮＡＬ.md", "path is not in Unicode normal form NFKC: 'ＪＯＵＲＮＡＬ.md'"),
        ("\u2024\u2024/x", "path is not in Unicode normal form NFKC: '\u2024\u2024/x'"),
        ("a\udcffb", "path is not valid UTF-8: 'a\\udcffb'"),
        (" JOURNAL.md", "path components must not start or end with a space: ' JOURNAL.md'"),
        ("notes/x.md ", "path components must not start or end with a space: 'notes/x.md '"),
    ],
)
def test_normalise_refuses_hostile_paths(raw: str, message: str) -> None:
    assert refused(normalise, raw) == message


def test_normalise_limits_component_and_total_length() -> None:
    assert normalise("a" * 255) == "a" * 255
    assert normalise("/".join(["d" * 200] * 5)) == "/".join(["d" * 200] * 5)  # 1004 bytes
    message = refused(normalise, "a" * 256)
    assert message.startswith("path component is longer than 255 bytes: 'aaaa")
    assert message.endswith("… (256 bytes)")
    assert len(message) < 200  # a long path is cut short in the message
    assert refused(normalise, "é" * 128).startswith("path component is longer than 255 bytes")
    assert refused(normalise, "a/" * 513).startswith("path is longer than 1024 bytes: 'a/a/")


def test_locked_and_protected_paths() -> None:
    for path in (
        "praxis.toml",
        ".env",
        "tools",
        "tools/x.toml",
        "praxis.db",
        "praxis.db-wal",
        "session_state.json",
        "heartbeat.json",
        ".praxis-run.lock",
        "backups/snapshot-1/GOALS.md",
        "providers.toml",
        "evals/smoke.json",
        "goals/criteria/G-001.json",
        "PRAXIS.TOML",  # a case-insensitive volume makes this praxis.toml
        "Tools/x.toml",
    ):
        assert is_locked(path), path
    for path in ("JOURNAL.md", "notes/tools", "toolsx/a", "notes/praxis.toml", "goals/notes.md"):
        assert not is_locked(path), path
    assert is_protected("JOURNAL.md") and is_protected("journal.md")
    assert not is_protected("notes/JOURNAL.md") and not is_protected("DAY_COUNT")


def test_check_request_returns_normalised_paths_in_order() -> None:
    paths = check_request(DATA_WRITE, ["./METRICS.md", "JOURNAL.md"], "hello", 2)
    assert paths == ("METRICS.md", "JOURNAL.md")
    assert check_request(DATA_WRITE, [], None, 2) == ()


def test_security_level_is_checked_first() -> None:
    message = refused(check_request, DATA_WRITE, ["/etc/passwd"] * 9, "x" * 5000, 1)
    assert message == (
        "tool praxis-data-write requires security level 2, but Praxis is configured for level 1"
    )


def test_circuit_breakers_in_reference_order() -> None:
    nine = [f"n{i}.md" for i in range(9)]
    assert refused(check_request, DATA_WRITE, nine, "x" * 5000, 2, 7) == (
        "tool request 7 exceeds the write-path circuit breaker limit of 8"
    )
    assert refused(check_request, DATA_WRITE, ["a", "a"], "é" * 2049, 2) == (
        "tool request 0 exceeds the append-size circuit breaker limit of 4096 bytes"
    )
    # 4096 bytes exactly is allowed; the limit counts bytes, not characters.
    assert check_request(DATA_WRITE, ["JOURNAL.md"], "é" * 2048, 2) == ("JOURNAL.md",)
    assert refused(check_request, DATA_WRITE, ["/x", "/x"], "t", 2, 3) == (
        "tool request 3 repeats write path /x"
    )
    assert refused(check_request, DATA_WRITE, ["JOURNAL.md", "/x"], "t", 2) == (
        "absolute paths are not allowed: /x"
    )
    assert refused(check_request, DATA_WRITE, ["tools/../praxis.toml"], "t", 2) == (
        "tool request 0 targets locked path tools/../praxis.toml"
    )
    assert refused(check_request, DATA_WRITE, ["GOALS.md"], "t", 2) == (
        "tool praxis-data-write is not allowed to write GOALS.md"
    )
    three = ["JOURNAL.md", "AGENTS.md", "METRICS.md"]
    assert refused(check_request, DATA_WRITE, three, "t", 2, 5) == (
        "tool request 5 exceeds the protected-file circuit breaker limit of 2"
    )


def test_duplicates_after_normalisation_are_repeats() -> None:
    assert refused(check_request, DATA_WRITE, ["JOURNAL.md", "./JOURNAL.md"], "t", 2) == (
        "tool request 0 repeats write path ./JOURNAL.md"
    )


def test_allow_list_matches_whole_components_and_exact_case() -> None:
    notes = DATA_WRITE._replace(allowed_paths=("notes", "./logs/today.md", "/abs", "../up"))
    assert check_request(notes, ["notes/a/b.md", "notes"], "t", 2) == ("notes/a/b.md", "notes")
    assert check_request(notes, ["logs/today.md"], "t", 2) == ("logs/today.md",)
    for path in ("notesx/a.md", "logs/other.md", "Notes/a.md", "abs", "up", "journal.md"):
        assert refused(check_request, notes, [path], "t", 2) == (
            f"tool praxis-data-write is not allowed to write {path}"
        )


def test_empty_allow_list_permits_nothing() -> None:
    maintenance = Manifest("internal-maintenance", "Safe.", "internal", 1)
    assert check_request(maintenance, [], None, 1) == ()
    message = refused(check_request, maintenance, ["notes.md"], None, 1)
    assert message == "tool internal-maintenance is not allowed to write notes.md"


def test_locked_beats_a_broad_allow_list() -> None:
    broad = DATA_WRITE._replace(allowed_paths=("tools", "praxis.toml", ".env", "backups"))
    for path in ("tools/evil.toml", "praxis.toml", ".env", "backups/x"):
        assert refused(check_request, broad, [path], "t", 2) == (
            f"tool request 0 targets locked path {path}"
        )
