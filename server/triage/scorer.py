"""Risk triage of one visitor message: levels, the scorer protocol and the lexicon scorer.

The lexicon scorer normalises the text (case, accents, punctuation, repeated letters, SMS
spellings), then runs a fixed set of precompiled regexes, one per category, in four passes:

1. acts in progress or at the spot ("j'ai avalé toute la boîte", "I'm on the bridge"), on the
   unmasked text;
2. figures of speech and everyday uses of risk words ("mort de rire", "jour de pont",
   "train to Paris") are masked;
3. negations, past attempts, bereavement and third parties are recorded and masked, so that
   "je ne veux pas mourir" does not read as "veux ... mourir";
4. the main lexicon: intent, ideation, means, methods, self-harm, plans, timeframes, distress.

The categories found are combined into a level by `decide` (see its docstring). Reasons are
category names from a closed vocabulary, never text from the message.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import cache
from typing import Protocol, runtime_checkable

import msgspec

from server.triage import lexicon


class RiskLevel(StrEnum):
    """Ordered: none < elevated < high < imminent (comparisons use this order, not the
    alphabet)."""

    NONE = "none"
    ELEVATED = "elevated"
    HIGH = "high"
    IMMINENT = "imminent"

    @property
    def rank(self) -> int:
        return _RANKS[self.value]

    def __lt__(self, other: str) -> bool:
        return self.rank < _rank_of(other)

    def __le__(self, other: str) -> bool:
        return self.rank <= _rank_of(other)

    def __gt__(self, other: str) -> bool:
        return self.rank > _rank_of(other)

    def __ge__(self, other: str) -> bool:
        return self.rank >= _rank_of(other)


_RANKS: dict[str, int] = {"none": 0, "elevated": 1, "high": 2, "imminent": 3}


def _rank_of(level: str) -> int:
    try:
        return _RANKS[str(level)]
    except KeyError:
        raise TypeError(f"not a risk level: {level!r}") from None


def max_level(a: RiskLevel, b: RiskLevel, /, *more: RiskLevel) -> RiskLevel:
    """The most severe of the levels given."""
    best = a if a.rank >= b.rank else b
    for level in more:
        if level.rank > best.rank:
            best = level
    return best


class RiskAssessment(msgspec.Struct, frozen=True):
    """A message's level and why: category names such as "means:medication" or
    "timeframe:now", never words from the message."""

    level: RiskLevel = RiskLevel.NONE
    reasons: tuple[str, ...] = ()

    def at_least(self, level: RiskLevel) -> bool:
        return self.level.rank >= level.rank


@runtime_checkable
class RiskScorer(Protocol):
    def score(self, text: str, locale: str | None = None) -> RiskAssessment: ...


CATEGORIES: frozenset[str] = frozenset(lexicon.CATEGORY_ORDER)
_ORDER: dict[str, int] = {name: index for index, name in enumerate(lexicon.CATEGORY_ORDER)}

# ---------------------------------------------------------------------------------------------
# Normalisation

_CONSONANTS = "bcdfghjklmnpqrstvwxz"
_DOUBLE_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1+")
_TRIPLE_VOWEL = re.compile(r"([aeiouy])\1{2,}")
_PATTERN_DOUBLE = re.compile(r"(?<!\\)([b-df-hj-np-tv-z])\1+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
# Anything but letters and digits is a separator, except a decimal point or comma in a number.
_JUNK = re.compile(r"[^a-z0-9.,]+|(?<![0-9])[.,]+|[.,]+(?![0-9])")
_DOSE_GLUE = re.compile(r"(\d) (mg|g|gr|grames?|grams?|miligrames?|miligrams?)(?![a-z0-9])")

_PRE_TABLE: dict[int, str] = {ord(k): v for k, v in lexicon.EMOJI.items()}
_PRE_TABLE.update(
    {
        0xFE0F: "",  # variation selector
        0x200D: "",  # zero-width joiner
        0x0153: "oe",  # œ
        0x0152: "oe",
        0x00E6: "ae",  # æ
        0x00C6: "ae",
        0x00DF: "ss",  # ß
    }
)


def _strip_accents(text: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """The character-level folding shared by messages and lexicon entries."""
    text = _strip_accents(text.lower()).replace("'", " ")
    return _TRIPLE_VOWEL.sub(r"\1", _DOUBLE_CONSONANT.sub(r"\1", text))


def _fold_pattern(source: str) -> str:
    """Fold a regex source like a message, leaving escapes such as `\\b` alone."""
    source = _strip_accents(source).replace("'", " ")
    return _PATTERN_DOUBLE.sub(r"\1", source)


_SMS: dict[str, str] = {fold(k): fold(v) for k, v in lexicon.SMS.items()}


def _token(token: str) -> str:
    mapped = _SMS.get(token)
    if mapped is not None:
        return mapped
    # "jpense", "jcrois", "jsuis": a French "je" glued to the next word.
    if len(token) >= 3 and token[0] == "j" and token[1] in _CONSONANTS:
        return "je " + _SMS.get(token[1:], token[1:])
    return token


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation and apostrophes as spaces, doubled consonants and
    tripled vowels collapsed ("envieeee", "mourrir"), doses glued ("500 mg" -> "500mg"), SMS
    spellings expanded ("jveux" -> "je veux"), single spaces, one space at each end."""
    text = text.translate(_PRE_TABLE).lower()
    if not text.isascii():
        text = _strip_accents(text)
    text = _JUNK.sub(" ", text)
    text = _TRIPLE_VOWEL.sub(r"\1", _DOUBLE_CONSONANT.sub(r"\1", text))
    text = _DOSE_GLUE.sub(r"\1\2", text)
    return " " + " ".join(_token(t) for t in text.split()) + " "


# ---------------------------------------------------------------------------------------------
# Compilation


def _compile(alternatives: tuple[str, ...]) -> re.Pattern[str]:
    # A literal leading space lets the regex engine skip quickly to token starts.
    body = "|".join(_fold_pattern(a) for a in alternatives)
    return re.compile(" (?:" + body + ")(?![a-z0-9])")


class _Compiled(msgspec.Struct, frozen=True):
    acts: tuple[tuple[str, re.Pattern[str]], ...]
    figurative: re.Pattern[str]
    captures: tuple[tuple[str, re.Pattern[str]], ...]
    lexicon: tuple[tuple[str, re.Pattern[str]], ...]
    medical: re.Pattern[str]
    everyday: re.Pattern[str]
    past: re.Pattern[str]
    act_past: re.Pattern[str]
    relapse: re.Pattern[str]
    contrast: re.Pattern[str]


@cache
def _compiled() -> _Compiled:
    return _Compiled(
        acts=tuple((name, _compile(alts)) for name, alts in lexicon.ACTS.items()),
        figurative=_compile(lexicon.FIGURATIVE),
        captures=tuple((name, _compile(alts)) for name, alts in lexicon.CAPTURES),
        lexicon=tuple((name, _compile(alts)) for name, alts in lexicon.LEXICON.items()),
        medical=_compile(lexicon.MEDICAL_CONTEXT),
        everyday=_compile(lexicon.EVERYDAY_CONTEXT),
        past=_compile(lexicon.PAST_MARKERS),
        act_past=_compile(lexicon.ACT_PAST_MARKERS),
        relapse=_compile(lexicon.RELAPSE_MARKERS),
        contrast=_compile(lexicon.CONTRAST),
    )


# ---------------------------------------------------------------------------------------------
# Combining categories into a level

_THOUGHTS = frozenset({"ideation:suicidal", "ideation:passive", "ideation:ambivalent"})
_HIGH_ON_THEIR_OWN = frozenset(
    {
        "history:attempt",
        "plan:prepared",
        "plan:farewell",
        "concern:third_party",
        "harm:violence",
    }
)
_ELEVATED_ON_THEIR_OWN = frozenset(
    {"selfharm:past", "ideation:negated", "suicide:exposure", "suicide:mention"}
)
# Signals that keep a medication (or a knife, a rope) a means even in a medical or everyday
# context.
_NOT_MITIGABLE = (
    _THOUGHTS
    | _HIGH_ON_THEIR_OWN
    | {"intent:suicidal", "selfharm:current", "means:overdose", "means:poison"}
)
_MITIGATED_BY = {
    "context:medical": frozenset({"means:medication", "means:dose"}),
    "context:everyday": frozenset({"means:blade", "means:rope", "means:firearm"}),
}


def _family(category: str) -> str:
    return category.partition(":")[0]


def decide(found: set[str]) -> RiskLevel:
    """The level for a set of categories (contexts included), erring on the side of safety.

    - imminent: an act in progress or at the spot; or intent, a means, a method or current
      self-harm together with a timeframe or any plan (means at hand, a farewell, a letter, a
      decision); or suicidal thoughts with a plan; or a farewell with a timeframe; or intent
      with an overdose quantity;
    - high: intent, suicidal or passive ideation, an ambivalent denial, any means or method on
      its own, current self-harm, a past attempt, a prepared plan or a farewell, a third party
      at risk, violence; or three distinct distress families at once;
    - elevated: any distress family, past self-harm, a plain denial, bereavement or mention of
      suicide, a medication (knife, rope) in a medical (everyday) context;
    - none otherwise.
    """
    families = {_family(c) for c in found}
    if "act" in families:
        return RiskLevel.IMMINENT
    mitigated: set[str] = set()
    if not found & _NOT_MITIGABLE and "method" not in families:
        for context, means in _MITIGATED_BY.items():
            if context in found:
                mitigated |= means
    means = {c for c in found if _family(c) == "means"}
    live_means = means - mitigated
    plans = {c for c in found if _family(c) == "plan"}
    if not live_means:
        plans.discard("plan:means_ready")
    active = (
        bool(live_means)
        or "method" in families
        or bool(found & {"intent:suicidal", "selfharm:current"})
    )
    thoughts = bool(found & _THOUGHTS)
    timeframe = "timeframe" in families
    if active and (timeframe or plans):
        return RiskLevel.IMMINENT
    if thoughts and plans:
        return RiskLevel.IMMINENT
    if "plan:farewell" in found and timeframe:
        return RiskLevel.IMMINENT
    if "intent:suicidal" in found and "means:overdose" in found:
        return RiskLevel.IMMINENT
    if active or thoughts or found & _HIGH_ON_THEIR_OWN:
        return RiskLevel.HIGH
    distress = {c for c in found if _family(c) == "distress"}
    if len(distress) >= 3:
        return RiskLevel.HIGH
    if distress or found & _ELEVATED_ON_THEIR_OWN or means:
        return RiskLevel.ELEVATED
    return RiskLevel.NONE


class LexiconScorer:
    """French and English lexicon scorer. `locale` is accepted for the protocol; both lexicons
    always run, because visitors switch languages mid-sentence."""

    def __init__(self) -> None:
        self._rx = _compiled()

    def categories(self, text: str) -> set[str]:
        """Every category found in the message, before any level is decided."""
        rx = self._rx
        norm = normalise(text)
        found = {name for name, pattern in rx.acts if pattern.search(norm)}
        masked = rx.figurative.sub(" |", norm)
        for name, pattern in rx.captures:
            if pattern.search(masked):
                found.add(name)
                masked = pattern.sub(" |", masked)
        found.update(name for name, pattern in rx.lexicon if pattern.search(masked))
        if "act:ingested" in found and rx.act_past.search(norm):
            found.discard("act:ingested")
            found.add("history:attempt")
        if "selfharm:current" in found and rx.past.search(norm) and not rx.relapse.search(norm):
            found.discard("selfharm:current")
            found.add("selfharm:past")
        if "ideation:negated" in found and rx.contrast.search(norm):
            found.add("ideation:ambivalent")
        if any(_family(c) == "means" for c in found):
            if rx.medical.search(masked):
                found.add("context:medical")
            if rx.everyday.search(masked):
                found.add("context:everyday")
        return found

    def score(self, text: str, locale: str | None = None) -> RiskAssessment:
        found = self.categories(text)
        level = decide(found)
        if level is RiskLevel.NONE:
            return _NONE
        return RiskAssessment(level=level, reasons=tuple(sorted(found, key=_ORDER.__getitem__)))


_NONE = RiskAssessment()


@cache
def default_scorer() -> RiskScorer:
    """The scorer the platform uses: the lexicon scorer."""
    return LexiconScorer()
