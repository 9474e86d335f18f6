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

Speed: every regex starts with a literal space (the engine jumps from token to token) and its
alternatives are grouped by first character (`_factor`), so at a token only the few starting
with that letter are tried: about 20 µs for a short message, under 200 µs for 500 characters.
Compiling takes about half a second, once per process, on the first `default_scorer()` call.
"""

from __future__ import annotations

import importlib
import re
from enum import StrEnum
from functools import cache
from typing import Protocol, runtime_checkable

import msgspec

from server.triage import lexicon
from server.triage.normalise import fold_pattern, normalise


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
# Compilation


_QUANTIFIER = re.compile(r"\?\??|\*\??|\+\??|\{\d*(?:,\d*)?\}\??")


def _split_top(source: str) -> list[str]:
    """The top-level alternatives of a regex source."""
    parts: list[str] = []
    start = depth = 0
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:index])
            start = index + 1
        index += 1
    parts.append(source[start:])
    return parts


def _closing(source: str) -> int:
    """The index of the parenthesis closing the group that opens `source`."""
    depth = 0
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise ValueError(f"unbalanced group in {source!r}")


def _starts_with_literal(alternative: str) -> bool:
    return (
        bool(alternative)
        and alternative[0].isalnum()
        and not (len(alternative) > 1 and alternative[1] in "?*+{")
    )


def _expand(alternative: str, budget: int = 400) -> list[str]:
    """Equivalent alternatives, in the same order, that start with a literal character where
    possible: leading groups `(?:a|b)x` become `ax|bx`, optional ones `(?:a)?x` become `ax|x`."""
    done: list[str] = []
    todo = [alternative]
    while todo:
        if len(done) + len(todo) > budget:
            return [alternative]
        current = todo.pop(0)
        if not current.startswith("(?:"):
            done.append(current)
            continue
        end = _closing(current)
        inner, after = current[3:end], current[end + 1 :]
        quantifier = _QUANTIFIER.match(after)
        suffix = quantifier.group(0) if quantifier else ""
        if suffix == "":
            todo[0:0] = [part + after for part in _split_top(inner)]
        elif suffix in ("?", "??"):
            rest = after[len(suffix) :]
            todo[0:0] = [part + rest for part in _split_top(inner)] + [rest]
        else:
            done.append(current)
    return done


def _factor(alternatives: list[str]) -> str:
    """Group alternatives by their first literal character, `m(?:e tuer|ourir)|...`, so the
    regex engine rejects most of them at a token with one character comparison. Order within
    a group is kept; alternatives that cannot be factored come last."""
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for alternative in alternatives:
        for expanded in _expand(alternative):
            if _starts_with_literal(expanded):
                groups.setdefault(expanded[0], []).append(expanded[1:])
            else:
                others.append(expanded)
    parts = [first + "(?:" + "|".join(rests) + ")" for first, rests in groups.items()]
    return "|".join(parts + others)


def _compile(alternatives: tuple[str, ...], factored: bool = True) -> re.Pattern[str]:
    # A literal leading space lets the regex engine skip quickly to token starts; the guard
    # at the end stops a match in the middle of a word.
    split = [part for a in alternatives for part in _split_top(fold_pattern(a))]
    body = _factor(split) if factored else "|".join(split)
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
def _compiled(factored: bool = True) -> _Compiled:
    def build(alternatives: tuple[str, ...]) -> re.Pattern[str]:
        return _compile(alternatives, factored)

    return _Compiled(
        acts=tuple((name, build(alts)) for name, alts in lexicon.ACTS.items()),
        figurative=build(lexicon.FIGURATIVE),
        captures=tuple((name, build(alts)) for name, alts in lexicon.CAPTURES),
        lexicon=tuple((name, build(alts)) for name, alts in lexicon.LEXICON.items()),
        medical=build(lexicon.MEDICAL_CONTEXT),
        everyday=build(lexicon.EVERYDAY_CONTEXT),
        past=build(lexicon.PAST_MARKERS),
        act_past=build(lexicon.ACT_PAST_MARKERS),
        relapse=build(lexicon.RELAPSE_MARKERS),
        contrast=build(lexicon.CONTRAST),
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
        for context, lowered in _MITIGATED_BY.items():
            if context in found:
                mitigated |= lowered
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

    def __init__(self, *, factored: bool = True) -> None:
        # `factored=False` compiles the same lexicon without the first-character factoring;
        # it exists so the tests can check both give the same categories.
        self._rx = _compiled(factored)

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


def load_scorer(path: str) -> RiskScorer:
    """The scorer named by HAVRE_TRIAGE_SCORER ("module:factory", checked by the settings), or
    the lexicon scorer when empty. The factory is called with no argument."""
    if not path:
        return default_scorer()
    module_name, attribute = path.split(":")
    factory = getattr(importlib.import_module(module_name), attribute)
    scorer = factory()
    if not isinstance(scorer, RiskScorer):
        raise TypeError(f"{path} did not return a scorer (an object with score(text, locale))")
    return scorer
