"""In-place `## Section` list edits: one inserted line, every other byte kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from praxis.errors import UsageError
from praxis.operator.md_sections import clean_entry, find_section, insert_item, split_keep

AGENTS_SEED = (
    "# Agents\n\n## Workflow Notes\n"
    "- Capture conventions future Praxis runs should remember here.\n\n"
    "## Gotchas\n- No project-specific gotchas captured yet.\n\n"
    "## Handoffs\n- No handoff notes captured yet.\n"
)


def test_item_lands_under_the_existing_items_not_after_the_blank_line() -> None:
    result = insert_item(AGENTS_SEED, "Gotchas", "x")
    assert result == AGENTS_SEED.replace(
        "gotchas captured yet.\n\n", "gotchas captured yet.\n- x\n\n"
    )


def test_crlf_file_gets_a_crlf_line() -> None:
    crlf = AGENTS_SEED.replace("\n", "\r\n")
    assert insert_item(crlf, "Gotchas", "x") == crlf.replace(
        "gotchas captured yet.\r\n\r\n", "gotchas captured yet.\r\n- x\r\n\r\n"
    )


def test_file_without_final_newline_keeps_it_that_way() -> None:
    assert insert_item("## Boundaries\n- a", "Boundaries", "b") == "## Boundaries\n- a\n- b"
    assert insert_item("## Boundaries\r\n- a", "Boundaries", "b") == "## Boundaries\r\n- a\r\n- b"


def test_missing_section_is_appended_with_a_blank_line_before_it() -> None:
    assert insert_item("# Identity\n- Name: P\n", "Boundaries", "r") == (
        "# Identity\n- Name: P\n\n## Boundaries\n- r\n"
    )
    assert insert_item("# Identity\n\n", "Boundaries", "r") == "# Identity\n\n## Boundaries\n- r\n"
    assert insert_item("", "Gotchas", "r") == "## Gotchas\n- r\n"


def test_section_without_items_gets_the_item_before_its_trailing_blank_lines() -> None:
    text = "## Gotchas\nSome prose.\n\n\n## Handoffs\n- h\n"
    assert (
        insert_item(text, "Gotchas", "x") == "## Gotchas\nSome prose.\n- x\n\n\n## Handoffs\n- h\n"
    )


def test_item_continuation_lines_stay_with_their_item() -> None:
    text = "## Gotchas\n- a\n  - detail of a\n\n  more about a\n\nProse after the list.\n"
    assert insert_item(text, "Gotchas", "x") == text.replace(
        "more about a\n", "more about a\n- x\n"
    )


def test_headings_and_items_inside_code_fences_do_not_count() -> None:
    text = "## Gotchas\n- a\n```\n## Handoffs\n- fenced\n```\n\n## Handoffs\n- h\n"
    section = find_section(split_keep(text), "Gotchas")
    assert section is not None and [item for _, item in section.items] == ["a"]
    assert insert_item(text, "Handoffs", "x").endswith("## Handoffs\n- h\n- x\n")


def test_an_item_never_lands_inside_a_code_block() -> None:
    closed = "## Gotchas\n- a\n```\ncode\n\nmore code\n```\n\n## Handoffs\n"
    assert insert_item(closed, "Gotchas", "x") == closed.replace("```\n\n", "```\n- x\n\n")
    unclosed = "## Gotchas\n- a\n\n```\ncode\n"
    assert insert_item(unclosed, "Gotchas", "x") == "## Gotchas\n- a\n- x\n\n```\ncode\n"
    # Appending a section to a file that ends inside a fence closes the fence first.
    assert insert_item("# A\n~~~~\ncode\n", "Gotchas", "x") == (
        "# A\n~~~~\ncode\n~~~~\n\n## Gotchas\n- x\n"
    )


def test_level_one_heading_ends_a_section_level_three_does_not() -> None:
    text = "## Boundaries\n- a\n### More\n- b\n# Other\n- c\n"
    section = find_section(split_keep(text), "boundaries")
    assert section is not None and [item for _, item in section.items] == ["a", "b"]


def test_bom_is_kept() -> None:
    text = "\ufeff## Gotchas\n- a\n"
    assert insert_item(text, "Gotchas", "b") == "\ufeff## Gotchas\n- a\n- b\n"


@pytest.mark.parametrize(
    "hostile",
    ["ok\n## Gotchas", "ok\r- fake", "a\x00b", "a\u2028## Handoffs", "a\x85b", "x" * 1001],
)
def test_multiline_control_or_huge_entries_are_refused(hostile: str) -> None:
    with pytest.raises(UsageError):
        clean_entry(hostile, "boundary rule", "")


def test_empty_entry_names_what_is_empty() -> None:
    with pytest.raises(UsageError, match=r"^agent note must not be empty$"):
        clean_entry("   ", "agent note", "")


FRAGMENTS = st.sampled_from(
    [
        "# Agents",
        "## Gotchas",
        "## Handoffs",
        "### Sub",
        "- item",
        "  - nested",
        "",
        "   ",
        "prose",
        "```",
        "~~~",
        "````",
        "  indented",
        "## gotchas ##",
        "\ufeff# x",
    ]
)


@settings(max_examples=500, deadline=None)
@given(
    lines=st.lists(FRAGMENTS, max_size=14),
    newline=st.sampled_from(["\n", "\r\n"]),
    final=st.booleans(),
    title=st.sampled_from(["Gotchas", "Handoffs"]),
)
def test_only_one_line_is_ever_added(
    lines: list[str], newline: str, final: bool, title: str
) -> None:
    text = newline.join(lines) + (newline if final and lines else "")
    result = insert_item(text, title, "NEW")
    before = [line.removesuffix("\r") for line in text.split("\n")]
    after = [line.removesuffix("\r") for line in result.split("\n")]
    if newline in text:  # a uniform file stays uniform
        assert result.count("\n") == (
            result.count("\r\n") if newline == "\r\n" else result.count("\n")
        )
        assert ("\r\n" in result) == (newline == "\r\n")
    if find_section(split_keep(text), title) is not None:
        # Exactly one line added; every other line in order and unchanged.
        added = [i for i, line in enumerate(after) if line == "- NEW"]
        assert len(added) == 1
        assert after[: added[0]] + after[added[0] + 1 :] == before
    else:
        kept = text.removesuffix(newline) if text.endswith(newline) else text
        assert result.startswith(kept)
        assert after[-3:] == [f"## {title}", "- NEW", ""]
    new_section = find_section(split_keep(result), title)
    assert new_section is not None and new_section.items[-1][1] == "NEW"
