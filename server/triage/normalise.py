"""Text normalisation shared by visitor messages and lexicon entries, before triage.

Case, accents, punctuation, repeated letters, doses and SMS spellings are folded so that one
lexicon entry matches the many ways a person in distress may type the same words.
"""

from __future__ import annotations

import re
import unicodedata

from server.triage import lexicon

_DOUBLE_CONSONANT = re.compile(r"([b-df-hj-np-tv-z])\1+")
_TRIPLE_VOWEL = re.compile(r"([aeiouy])\1{2,}")
_PATTERN_DOUBLE = re.compile(r"(?<!\\)([b-df-hj-np-tv-z])\1+")
_COMBINING = re.compile(r"[\u0300-\u036f]+")
# Anything but letters and digits is a separator, except a decimal point or comma in a number.
_NOT_WORD = re.compile(r"[^a-z0-9.,]+")
_NOT_DECIMAL = re.compile(r"[.,](?!(?<=[0-9][.,])[0-9])")
_DOSE_GLUE = re.compile(r"(\d) (mg|g|gr|grames?|grams?|miligrames?|miligrams?)(?![a-z0-9])")

_SPECIAL: dict[str, str] = {
    **lexicon.EMOJI,
    "\ufe0f": "",  # variation selector
    "\u200d": "",  # zero-width joiner
    "\u0153": "oe",  # œ
    "\u0152": "oe",
    "\u00e6": "ae",  # æ
    "\u00c6": "ae",
    "\u00df": "ss",  # ß
}
_SPECIAL_RE = re.compile("[" + "".join(re.escape(k) for k in _SPECIAL) + "]")


def _strip_accents(text: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """The character-level folding shared by messages and lexicon entries."""
    text = _strip_accents(text.lower()).replace("'", " ")
    return _TRIPLE_VOWEL.sub(r"\1", _DOUBLE_CONSONANT.sub(r"\1", text))


def fold_pattern(source: str) -> str:
    """Fold a regex source like a message, leaving escapes such as `\\b` alone."""
    source = _strip_accents(source).replace("'", " ")
    return _PATTERN_DOUBLE.sub(r"\1", source)


_SMS: dict[str, str] = {fold(k): fold(v) for k, v in lexicon.SMS.items()}
_SMS_DOUBLED = re.compile(
    "(?<![a-z0-9])(?:" + "|".join(sorted(lexicon.SMS_DOUBLED, key=len, reverse=True)) + ")"
    "(?![a-z0-9])"
)
# "jpense", "jcrois", "jsuis": a French "je" glued to the next word.
_GLUED_JE = re.compile(r" j(?=[bcdfghjklmnpqrstvwxz][a-z])")
# "c fini", "c decide": a bare "c" is "c'est" (but "c'est", "c'était", "c'en est" already are).
_BARE_C = re.compile(r" c (?!est |etait |etais |en )")
_CENSORED_TOKEN = re.compile(r"[a-z]*\*[a-z*]*")
_CENSORED: dict[int, tuple[str, ...]] = {}
for _word in lexicon.CENSORED:
    _CENSORED[len(_word)] = (*_CENSORED.get(len(_word), ()), _word)


def _uncensor(match: re.Match[str]) -> str:
    token = match.group()
    if token.count("*") == len(token):
        return token
    for word in _CENSORED.get(len(token), ()):
        if all(t in ("*", w) for t, w in zip(token, word, strict=True)):
            return word
    return token


def normalise(text: str) -> str:
    """Lower case, no accents, censored words restored ("s*icide"), punctuation and
    apostrophes as spaces, doubled consonants and tripled vowels collapsed ("envieeee",
    "mourrir"), doses glued ("500 mg" -> "500mg"), SMS spellings expanded ("jveux" -> "je veux",
    "tt" -> "tout", "c fini" -> "c est fini"), single spaces, one space at each end."""
    if text.isascii():
        text = text.lower()
    else:
        text = _strip_accents(_SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text).lower())
    if "*" in text:
        text = _CENSORED_TOKEN.sub(_uncensor, text)
    text = _NOT_WORD.sub(" ", text)
    if "." in text or "," in text:
        text = _NOT_DECIMAL.sub(" ", text)
    if "tt" in text:
        text = _SMS_DOUBLED.sub(lambda m: lexicon.SMS_DOUBLED[m.group()], text)
    text = _TRIPLE_VOWEL.sub(r"\1", _DOUBLE_CONSONANT.sub(r"\1", text))
    text = _DOSE_GLUE.sub(r"\1\2", text)
    text = " " + " ".join([_SMS.get(t, t) for t in text.split()]) + " "
    if " c " in text:
        text = _BARE_C.sub(" c est ", text)
    return _GLUED_JE.sub(" je ", text) if " j" in text else text
