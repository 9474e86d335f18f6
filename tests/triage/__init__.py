"""Tests of the risk-triage scorer, and the labelled corpus they read."""

from __future__ import annotations

from pathlib import Path

import msgspec

CORPUS_PATH = Path(__file__).resolve().parent / "corpus.tsv"


class CorpusRow(msgspec.Struct, frozen=True):
    line: int
    level: str
    locale: str
    text: str
    tags: frozenset[str]


def load_corpus(path: Path = CORPUS_PATH) -> list[CorpusRow]:
    """`level<TAB>locale<TAB>text<TAB>tags` lines; blank lines and `#` comments are skipped."""
    rows: list[CorpusRow] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) not in (3, 4):
            raise ValueError(f"{path.name}:{number}: expected 3 or 4 tab-separated columns")
        tags = (
            frozenset(t.strip() for t in parts[3].split(",") if t.strip())
            if len(parts) == 4
            else frozenset()
        )
        rows.append(CorpusRow(number, parts[0].strip(), parts[1].strip(), parts[2].strip(), tags))
    return rows
