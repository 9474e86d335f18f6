"""The lexicon risk scorer against the labelled corpus, and its building blocks."""

from __future__ import annotations

import json
import re
import time
from collections import Counter

import msgspec
import pytest

from server.triage import (
    CATEGORIES,
    LexiconScorer,
    RiskAssessment,
    RiskLevel,
    RiskScorer,
    default_scorer,
    max_level,
    normalise,
)
from tests.triage import CorpusRow, load_corpus

LEVELS = [RiskLevel.NONE, RiskLevel.ELEVATED, RiskLevel.HIGH, RiskLevel.IMMINENT]
CORPUS = load_corpus()
SCORER = LexiconScorer()


def level_of(text: str, locale: str | None = None) -> RiskLevel:
    return SCORER.score(text, locale).level


def reasons_of(text: str) -> tuple[str, ...]:
    return SCORER.score(text).reasons


# ---------------------------------------------------------------------------------------------
# The corpus itself


def test_corpus_shape() -> None:
    assert len(CORPUS) >= 200
    assert {row.level for row in CORPUS} == {level.value for level in LEVELS}
    assert {row.locale for row in CORPUS} == {"fr", "en"}
    by_locale = Counter(row.locale for row in CORPUS)
    assert 0.4 <= by_locale["fr"] / len(CORPUS) <= 0.6
    per_cell = Counter((row.level, row.locale) for row in CORPUS)
    assert min(per_cell.values()) >= 15, per_cell
    assert len({row.text for row in CORPUS}) == len(CORPUS), "duplicate phrases"
    tags = Counter(tag for row in CORPUS for tag in row.tags)
    for tag in ("falsefriend", "negation", "sms", "noaccent", "emoji", "dose"):
        assert tags[tag] >= 5, tag


# ---------------------------------------------------------------------------------------------
# Precision and recall


def _metrics(rows: list[CorpusRow], predicted: list[RiskLevel]) -> dict[str, dict[str, float]]:
    def pr(expected: list[bool], got: list[bool]) -> dict[str, float]:
        tp = sum(e and g for e, g in zip(expected, got, strict=True))
        fp = sum(g and not e for e, g in zip(expected, got, strict=True))
        fn = sum(e and not g for e, g in zip(expected, got, strict=True))
        return {
            "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
            "support": tp + fn,
        }

    table = {
        level.value: pr([r.level == level.value for r in rows], [p == level for p in predicted])
        for level in LEVELS
    }
    table["at_least_high"] = pr(
        [RiskLevel(r.level) >= RiskLevel.HIGH for r in rows],
        [p >= RiskLevel.HIGH for p in predicted],
    )
    return table


def test_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    predicted = [level_of(row.text, row.locale) for row in CORPUS]
    table = _metrics(CORPUS, predicted)
    subsets = {
        name: _metrics(
            [r for r in CORPUS if keep(r)],
            [p for r, p in zip(CORPUS, predicted, strict=True) if keep(r)],
        )["at_least_high"]
        for name, keep in (
            ("main", lambda r: not r.tags & {"holdout", "holdout2", "holdout3"}),
            ("holdout", lambda r: "holdout" in r.tags),
            ("holdout2", lambda r: "holdout2" in r.tags),
            ("holdout3", lambda r: "holdout3" in r.tags),
        )
    }
    exact = sum(p.value == r.level for r, p in zip(CORPUS, predicted, strict=True))
    misses = [
        f"{r.level:>9} -> {p.value:<9} line {r.line}"
        for r, p in zip(CORPUS, predicted, strict=True)
        if p.value != r.level
    ]
    with capsys.disabled():
        print(f"\ntriage corpus: {len(CORPUS)} phrases, {exact} scored at their exact level")
        print(f"{'class':<14}{'precision':>10}{'recall':>8}{'support':>9}")
        for name, row in table.items():
            print(f"{name:<14}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['support']:>9}")
        print("misses (line numbers in corpus.tsv):", *misses, sep="\n  ")
        print(json.dumps({"per_level": table, "at_least_high_by_subset": subsets}))
    assert table["at_least_high"]["recall"] >= 0.95
    assert table["imminent"]["recall"] >= 0.95


def test_no_false_friend_is_high() -> None:
    false_friends = [row for row in CORPUS if "falsefriend" in row.tags]
    assert len(false_friends) >= 40
    flagged = [
        (row.line, level_of(row.text, row.locale).value)
        for row in false_friends
        if level_of(row.text, row.locale) >= RiskLevel.HIGH
    ]
    assert flagged == []


# ---------------------------------------------------------------------------------------------
# Normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ibuprofène", " ibuprofene "),
        ("J’AI envie", " j ai envie "),
        ("j'ai envie", " j ai envie "),
        ("envieeee de mourrir", " envie de mourir "),
        ("jveux", " je veux "),
        ("jveu", " je veux "),
        ("chui à bout", " je suis a bout "),
        ("g envie", " j ai envie "),
        ("pk", " pourquoi "),
        ("jpense à toi", " je pense a toi "),
        ("500 mg", " 500mg "),
        ("2,5 g", " 2,5g "),
        ("Cœur brisé…", " coeur brise "),
        ("gonna kms rn", " going to kil myself right now "),
        ("I'm done.", " i m done "),
        ("  spaces\tand\nlines  ", " spaces and lines "),
        ("tte la boite", " toute la boite "),
        ("tt va bien", " tout va bien "),
        ("c fini", " c est fini "),
        ("c'est fini, c'en est trop", " c est fini c en est trop "),
        ("qqn", " quelqu un "),
        ("pensées s*icidaires", " pensees suicidaires "),
        ("k*ll myself", " kil myself "),
        ("f*ck", " f ck "),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("plain", "variant"),
    [
        ("ibuprofene", "ibuprofène"),
        ("j'ai envie de mourir", "J’ai ENVIE de mourir"),
        ("j'ai envie de mourir", "jai envi de mourrir"),
        ("je veux mourir", "jveux mourirrr"),
        ("je suis suicidaire", "chui suicidaire"),
        ("j'ai envie de mourir", "g envie de mourir"),
        ("pourquoi je vis encore", "pk je vis encore"),
        ("I want to kill myself", "i wanna kill myselfff"),
        ("paracétamol", "PARACETAMOL"),
        ("j'ai des pensées suicidaires", "jai des pensees s**cidaires"),
        ("j'ai pris toute la plaquette", "jai pris tte la plaquette"),
    ],
)
def test_spelling_variants_score_alike(plain: str, variant: str) -> None:
    assert SCORER.score(plain) == SCORER.score(variant)


# ---------------------------------------------------------------------------------------------
# Negations and false friends


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("je ne veux pas mourir", RiskLevel.ELEVATED),
        ("je veux pas mourir", RiskLevel.ELEVATED),
        ("I don't want to die", RiskLevel.ELEVATED),
        ("I'm not suicidal", RiskLevel.ELEVATED),
        ("je ne suis pas suicidaire", RiskLevel.ELEVATED),
        ("I won't hurt myself", RiskLevel.ELEVATED),
        # the negation carries the risk
        ("je ne veux plus vivre", RiskLevel.HIGH),
        ("j'ai plus envie de vivre", RiskLevel.HIGH),
        ("I don't want to live anymore", RiskLevel.HIGH),
        ("I can't stop thinking about killing myself", RiskLevel.HIGH),
        # a denial followed by "but" stays a risk
        ("je ne veux pas mourir mais je n'en peux plus", RiskLevel.HIGH),
        ("I'm not suicidal but I think about death a lot", RiskLevel.HIGH),
        # a denial does not hide a plan
        ("je ne veux pas mourir mais j'ai pris 30 cachets", RiskLevel.IMMINENT),
    ],
)
def test_negation(text: str, level: RiskLevel) -> None:
    assert level_of(text) == level


@pytest.mark.parametrize(
    "text",
    [
        "mort de rire",
        "mdr",
        "je meurs de faim",
        "je meurs de chaud",
        "ce film m'a tué",
        "ça me tue de rire",
        "le pont de l'Alma",
        "jour de pont",
        "you're killing it",
        "I'm dying to see you",
        "that dress is to die for",
        "the bridge of my guitar",
        "jump rope",
        "I'm taking the train to Paris",
        "je suis en train de manger",
        "j'ai pris un doliprane pour ma migraine",
    ],
)
def test_false_friends_are_at_most_elevated(text: str) -> None:
    assert level_of(text) <= RiskLevel.ELEVATED


def test_the_same_words_in_danger_are_not_masked() -> None:
    assert level_of("je suis sur le pont de l'Alma et je vais sauter") == RiskLevel.IMMINENT
    assert level_of("I'm going to jump in front of the next train tonight") == RiskLevel.IMMINENT
    assert level_of("j'ai pris 30 doliprane pour ma migraine") == RiskLevel.IMMINENT
    assert level_of("je veux mourir, j'ai des cachets pour ma migraine") >= RiskLevel.HIGH


# ---------------------------------------------------------------------------------------------
# Means, doses and emoji


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("800mg", "means:dose"),
        ("500 mg", "means:dose"),
        ("2g", "means:dose"),
        ("1,5 g", "means:dose"),
        ("20 comprimés", "means:overdose"),
        ("30 doliprane", "means:overdose"),
        ("une vingtaine de cachets", "means:overdose"),
        ("forty pills", "means:overdose"),
        ("toute la boîte", "means:overdose"),
        ("the whole bottle", "means:overdose"),
    ],
)
def test_dose_detection(text: str, reason: str) -> None:
    assert reason in reasons_of(text)
    assert level_of(text) >= RiskLevel.HIGH


@pytest.mark.parametrize(
    "text", ["j'ai plus de 4g", "200 g de farine", "il a 20 ans", "5g partout"]
)
def test_not_doses(text: str) -> None:
    assert "means:dose" not in reasons_of(text)
    assert level_of(text) <= RiskLevel.ELEVATED


@pytest.mark.parametrize(
    "word",
    [
        "ibuprofène",
        "médicaments",
        "doliprane",
        "paracétamol",
        "cachets",
        "comprimés",
        "corde",
        "pont",
        "rope",
        "bridge",
        "pills",
        "overdose",
        "jump",
        "train",
        "knife",
        "razor",
        "cut myself",
        "me scarifier",
        "me couper",
        "pendre",
        "hang myself",
        "sauter",
    ],
)
def test_means_and_methods_alone_are_high(word: str) -> None:
    assert level_of(word) >= RiskLevel.HIGH


def test_emoji() -> None:
    assert level_of("💊") == RiskLevel.HIGH
    assert "means:medication" in reasons_of("💊")
    assert "means:overdose" in reasons_of("💊💊💊")
    assert level_of("💊💊💊 ce soir") == RiskLevel.IMMINENT
    assert level_of("🔪") == RiskLevel.HIGH
    assert level_of("mdr 💀😂") == RiskLevel.NONE
    assert level_of("je veux mourir 😭😭") == RiskLevel.HIGH


# ---------------------------------------------------------------------------------------------
# Combinations


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("j'ai envie de mourir", RiskLevel.HIGH),
        ("j'ai envie de mourir ce soir", RiskLevel.IMMINENT),
        ("I have the pills", RiskLevel.IMMINENT),
        ("j'ai acheté une corde", RiskLevel.IMMINENT),
        ("I've written a goodbye letter", RiskLevel.HIGH),
        ("I've written a goodbye letter, I want to die", RiskLevel.IMMINENT),
        ("je n'en peux plus", RiskLevel.ELEVATED),
        ("je suis épuisée", RiskLevel.ELEVATED),
        ("I hate myself", RiskLevel.ELEVATED),
        ("bonjour, je voudrais parler", RiskLevel.NONE),
    ],
)
def test_signals_combine(text: str, level: RiskLevel) -> None:
    assert level_of(text) == level


def test_locale_is_a_hint_only() -> None:
    # visitors switch languages: both lexicons always run
    for locale in (None, "fr", "en"):
        assert level_of("I want to die", locale) == RiskLevel.HIGH
        assert level_of("je veux mourir", locale) == RiskLevel.HIGH
    assert level_of("jsuis fatiguée, I just want to die tonight", "fr") == RiskLevel.IMMINENT


# ---------------------------------------------------------------------------------------------
# Privacy: reasons are category names, never words from the message

_REASON_SHAPE = re.compile(r"^[a-z]+:[a-z_]+$")


def test_reasons_are_closed_category_names() -> None:
    for row in CORPUS:
        reasons = SCORER.score(row.text, row.locale).reasons
        assert set(reasons) <= CATEGORIES, row.line
        assert all(_REASON_SHAPE.match(r) for r in reasons), row.line
        assert len(reasons) == len(set(reasons)), row.line


@pytest.mark.parametrize(
    "template",
    [
        "je veux mourir {w} ce soir avec {w}",
        "I want to kill myself, {w} has the {w} pills",
        "{w} 💊 {w} 800mg {w}",
        "mon {w} me frappe, je n'en peux plus de {w}",
    ],
)
def test_reasons_never_carry_message_text(template: str) -> None:
    canary = "zorblaxquint"
    assessment = SCORER.score(template.format(w=canary))
    assert assessment.level >= RiskLevel.HIGH
    encoded = msgspec.json.encode(assessment).decode()
    assert canary not in encoded
    assert canary not in repr(assessment)
    message_words = {w for w in normalise(template.format(w=canary)).split() if len(w) > 3}
    for reason in assessment.reasons:
        assert reason in CATEGORIES
        assert canary not in reason
        assert not any(reason == word for word in message_words)


def test_none_has_no_reasons() -> None:
    assert SCORER.score("on regarde la coupe du monde ce soir") == RiskAssessment()


# ---------------------------------------------------------------------------------------------
# Levels, the protocol and the struct


def test_level_order() -> None:
    assert RiskLevel.NONE < RiskLevel.ELEVATED < RiskLevel.HIGH < RiskLevel.IMMINENT
    assert RiskLevel.IMMINENT > RiskLevel.NONE  # not alphabetical
    assert RiskLevel.HIGH >= RiskLevel.HIGH
    assert RiskLevel.HIGH <= "imminent"
    assert (
        sorted([RiskLevel.NONE, RiskLevel.IMMINENT, RiskLevel.ELEVATED, RiskLevel.HIGH]) == LEVELS
    )
    assert max(LEVELS) is RiskLevel.IMMINENT
    assert [level.rank for level in LEVELS] == [0, 1, 2, 3]
    with pytest.raises(TypeError):
        _ = RiskLevel.HIGH < "severe"


def test_max_level() -> None:
    assert max_level(RiskLevel.NONE, RiskLevel.HIGH) is RiskLevel.HIGH
    assert max_level(RiskLevel.IMMINENT, RiskLevel.ELEVATED) is RiskLevel.IMMINENT
    assert max_level(RiskLevel.ELEVATED, RiskLevel.ELEVATED) is RiskLevel.ELEVATED
    assert max_level(RiskLevel.NONE, RiskLevel.ELEVATED, RiskLevel.HIGH) is RiskLevel.HIGH
    for a in LEVELS:
        for b in LEVELS:
            assert max_level(a, b) == max_level(b, a) == max(a, b)


def test_protocol_and_struct() -> None:
    scorer = default_scorer()
    assert isinstance(scorer, RiskScorer)
    assert isinstance(scorer, LexiconScorer)
    assert default_scorer() is scorer
    assessment = scorer.score("je veux mourir ce soir")
    assert assessment.level is RiskLevel.IMMINENT
    assert assessment.at_least(RiskLevel.HIGH)
    with pytest.raises(AttributeError):
        assessment.level = RiskLevel.NONE  # type: ignore[misc]
    encoded = msgspec.json.encode(assessment)
    assert msgspec.json.decode(encoded, type=RiskAssessment) == assessment
    assert json.loads(encoded)["level"] == "imminent"


def test_factored_regexes_find_the_same_categories() -> None:
    # The speed-up (alternatives grouped by first character) must not change any result.
    plain = LexiconScorer(factored=False)
    extra = [
        "je suis au bord de la seine et je vais sauter",
        "I took them all, everything in the medicine cabinet",
        "mon père me bat à coups de ceinture",
        "elle me bat aux échecs",
        "he hits me up every day",
        "on a pris le train de nuit pour Rome, trop bien",
        "I'm on the train tracks, the next train is in 5 minutes",
    ]
    for text in [row.text for row in CORPUS] + extra:
        assert SCORER.categories(text) == plain.categories(text), text


def test_scoring_is_fast() -> None:
    sentence = "je sais pas trop quoi dire, ça va pas fort en ce moment, les cours, ma famille. "
    message = (sentence * 8)[:500]
    assert len(message) == 500
    SCORER.score(message)
    runs = 300
    start = time.perf_counter()
    for _ in range(runs):
        SCORER.score(message)
    mean_seconds = (time.perf_counter() - start) / runs
    assert mean_seconds < 0.001, f"{mean_seconds * 1e6:.0f} µs per 500-character message"
