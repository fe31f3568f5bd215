"""Memory text: cleaning and bounding, query tokens, content hashes, near-duplicate similarity
and the claim markers that make two memories contradict each other. Pure functions."""

from __future__ import annotations

import re
from typing import NamedTuple

from praxis.text import ELLIPSIS, one_line

MAX_QUERY_TOKENS = 12

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script; `_` and punctuation split
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_REPEATED_CHAR = re.compile(r"([^\s\d])\1{4,}")  # "!!!!!!!" -> "!!!"; numbers are kept
_MARKUP = re.compile(r"```+|~~~+|^\s*(?:#{1,6}|>+|[-*+]\s|\d+[.)]\s)\s*|[*_`|]{2,}", re.M)


def words(text: str) -> list[str]:
    """Lowercased words (letters/digits of any script), in order."""
    return [w.lower() for w in _WORD.findall(text)]


def query_tokens(text: str) -> list[str]:
    """At most 12 distinct words of a query, in order (reference §7.2)."""
    seen: list[str] = []
    for word in _WORD.findall(text):
        if word.lower() not in (s.lower() for s in seen):
            seen.append(word)
    return seen[:MAX_QUERY_TOKENS]


def fts_query(tokens: list[str], mode: str = "AND") -> str | None:
    """An FTS5 MATCH expression: each token double-quoted, so no query text is ever syntax."""
    if not tokens:
        return None
    return f" {mode} ".join('"' + t.replace('"', "") + '"' for t in tokens)


def normalize(text: str) -> str:
    return one_line(text).lower()


def content_hash(content: str) -> str:
    import hashlib

    return hashlib.sha256(normalize(content).encode("utf-8")).hexdigest()


def clean(text: str) -> str:
    """One line of plain text: control characters, markdown markup, runs of one repeated
    character and words repeated back to back removed; whitespace collapsed."""
    text = _CONTROL.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = _REPEATED_CHAR.sub(lambda m: m.group(1) * 3, text)
    out: list[str] = []
    for word in text.split():
        if len(out) >= 2 and word.lower() == out[-1].lower() == out[-2].lower():
            continue  # "very very very very" -> "very very"
        out.append(word)
    return " ".join(out)


def cap(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, marked with `…`."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def bounded(text: str, limit: int) -> str:
    """Cleaned and capped: what any model-written text becomes before it is remembered."""
    return cap(clean(text), limit)


# --- near-duplicates and contradictions ---------------------------------------------------

# Words that carry no subject: articles, auxiliaries, and the labels of session memories.
_STOP_TEXT = """a an the and or but of to in at by for from with as is are was were be been being it its
    this that these those there then than so if into onto over under about after before
    do does did has have had will would should can could may might must
    outcome task goal done evidence session reviewer review evals eval selected skipped because
    result using shell checks check finding findings"""
STOPWORDS = frozenset(_STOP_TEXT.split())
# Left out of search queries (when other words remain): they are in most memories, and
# matching them costs a scan of every memory that has them.
_QUERY_STOP_TEXT = (
    "a an the and or but of to in at by for from with as is are was were be it its this that on"
)
QUERY_STOPWORDS = frozenset(_QUERY_STOP_TEXT.split())
# Claim markers: a negation flips a claim; each pair's second word is the first one negated.
# (Apostrophes are dropped before matching: "don't" is "dont".)
_NEGATION_TEXT = "not no never cannot cant dont doesnt isnt wont didnt arent wasnt without"
NEGATIONS = frozenset(_NEGATION_TEXT.split())
ANTONYMS = {
    "disabled": "enabled",
    "off": "on",
    "false": "true",
    "broken": "works",
    "fails": "passes",
    "failed": "passed",
    "failing": "passing",
    "closed": "open",
    "wrong": "right",
    "unsafe": "safe",
    "stopped": "running",
    "absent": "present",
    "missing": "present",
    "forbidden": "allowed",
    "rejected": "approved",
}


class Claim(NamedTuple):
    """What a memory is about (its subject words) and whether it asserts or denies it."""

    subject: frozenset[str]
    negated: bool


def claim(text: str) -> Claim:
    """Subject words (stop words dropped, plurals folded) and whether any claim marker (a
    negation, or the negative word of an antonym pair) is present."""
    subject: set[str] = set()
    negated = False
    for word in words(text.replace("'", "").replace("\u2019", "")):
        if word in NEGATIONS:
            negated = True
            continue
        if word in ANTONYMS:
            negated = True
            word = ANTONYMS[word]
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            subject.add(_fold(word))
    return Claim(frozenset(subject), negated)


def _fold(word: str) -> str:
    """A crude plural fold, applied alike to both sides of a comparison."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two word sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def same_subject(a: Claim, b: Claim, threshold: float) -> bool:
    return similarity(a.subject, b.subject) >= threshold


def near_duplicate(a: Claim, b: Claim, threshold: float) -> bool:
    return a.negated == b.negated and same_subject(a, b, threshold)


def contradicts(a: Claim, b: Claim, threshold: float) -> bool:
    return a.negated != b.negated and same_subject(a, b, threshold)
