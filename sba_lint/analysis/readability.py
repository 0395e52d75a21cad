"""Document statistics: Flesch reading ease and Flesch-Kincaid grade, offline.

The scores are textstat's (0.7, English): its words, sentences and formulas, computed
here with its own regular expressions, because importing textstat imports NLTK (a fifth
of a second per process, for a pronouncing dictionary sba-lint must not use: it would be
a download).  Syllables come from Pyphen's bundled hyphenation dictionary, textstat's
own fallback for words the pronouncing dictionary lacks, each word counted once per
process.  ``tests/test_readability.py`` holds these counts and scores equal to textstat's.
"""

from __future__ import annotations

import re
import threading

_lock = threading.Lock()
#: longer "words" (a line of letters, a pasted key) get syllables by vowel groups
_LONGEST_WORD = 60
_VOWELS = re.compile(r"[aeiouy]+", re.IGNORECASE)
#: Pyphen dictionary used for syllables (ships with Pyphen)
LANGUAGE = "en_GB"

# textstat.backend: remove_punctuation(rm_apostrophe=False) keeps the apostrophe of a
# contraction ("isn't") and drops every other mark; count_sentences' sentence pattern
_NOT_CONTRACTION = re.compile(r"'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
# textstat's English constants (LANG_CONFIGS["en"]; flesch_kincaid_grade's are inline)
_FRE_BASE, _FRE_SENTENCE_LENGTH, _FRE_SYLLABLES = 206.835, 1.015, 84.6


class _Syllables(dict):  # type: ignore[type-arg]
    """``word -> syllables``, counted by Pyphen once per word."""

    def __init__(self, lang: str):
        super().__init__()
        import pyphen

        self._positions = pyphen.Pyphen(lang=lang).positions

    def __missing__(self, word: str) -> int:
        if len(word) > _LONGEST_WORD:  # no word; Pyphen's time grows faster than its length
            count = max(1, len(_VOWELS.findall(word)))
        else:
            count = len(self._positions(word)) + 1
        self[word] = count
        return count


_syllables: _Syllables | None = None


def _table() -> _Syllables:
    global _syllables
    if _syllables is None:
        with _lock:
            if _syllables is None:
                _syllables = _Syllables(LANGUAGE)
    return _syllables


def _unpunctuated(text: str) -> str:
    return _PUNCTUATION.sub("", _NOT_CONTRACTION.sub("", text))


def _word_count(text: str) -> int:
    return len(_unpunctuated(text).split())


def _sentence_count(text: str) -> int:
    """textstat's count: pieces ending in . ! or ?, less those of two words or fewer."""
    if not text:
        return 0
    sentences = _SENTENCE.findall(text)
    short = sum(1 for s in sentences if _word_count(s) <= 2)
    return max(1, len(sentences) - short)


def counts(text: str) -> tuple[int, int, int]:
    """Words, sentences and syllables, counted as textstat counts them."""
    plain = _unpunctuated(text)
    syllables = 0
    if text:
        table = _table()
        syllables = sum(table[w] for w in plain.lower().split())
    return len(plain.split()), _sentence_count(text), syllables


def scores(text: str) -> dict[str, float]:
    """Flesch reading ease and Flesch-Kincaid grade, rounded to one decimal place."""
    words, sentences, syllables = counts(text)
    per_sentence = words / sentences if sentences else 0.0
    per_word = syllables / words if words else 0.0
    if per_sentence == 0 or per_word == 0:
        ease = grade = 0.0
    else:
        ease = _FRE_BASE - _FRE_SENTENCE_LENGTH * per_sentence - _FRE_SYLLABLES * per_word
        grade = (0.39 * per_sentence) + (11.8 * per_word) - 15.59
    return {"reading_ease": round(ease, 1), "grade": round(grade, 1)}
