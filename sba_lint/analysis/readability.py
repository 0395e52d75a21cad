"""Document statistics: words, sentences and textstat's readability scores, offline.

textstat counts syllables with the CMU pronouncing dictionary, which it downloads
through NLTK the first time it is used.  Case documents must never cause a network
connection, so before textstat is used its dictionary lookup is replaced by a table that
counts syllables with Pyphen's bundled hyphenation dictionary (textstat's own fallback
for words the CMU dictionary lacks), remembering each word once counted.
``nltk.download`` is also disabled for the life of the process.
"""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

_lock = threading.Lock()
#: longer "words" (a line of letters, a pasted key) get syllables by vowel groups
_LONGEST_WORD = 60
_VOWELS = re.compile(r"[aeiouy]+", re.IGNORECASE)
_ts: Any = None
#: Pyphen dictionary used for syllables (ships with Pyphen)
LANGUAGE = "en_GB"


def _no_download(*_args: Any, **_kwargs: Any) -> bool:
    return False


class _PyphenSyllables(dict):  # type: ignore[type-arg]
    """Looks like the CMU dictionary to textstat: ``word -> [phones]``, one vowel per syllable."""

    def __init__(self, lang: str):
        super().__init__()
        import pyphen

        self._positions = pyphen.Pyphen(lang=lang).positions

    def __missing__(self, word: str) -> list[list[str]]:
        if len(word) > _LONGEST_WORD:  # no word; Pyphen's time grows faster than its length
            count = max(1, len(_VOWELS.findall(word)))
        else:
            count = len(self._positions(word)) + 1
        phones = [["A1"] * count]
        self[word] = phones
        return phones


_tables: dict[str, _PyphenSyllables] = {}


def _offline_cmudict(lang: str) -> _PyphenSyllables:
    if lang not in _tables:
        _tables[lang] = _PyphenSyllables(LANGUAGE)
    return _tables[lang]


def textstat() -> Any:
    """textstat, patched so that it can never reach the network."""
    global _ts
    if _ts is not None:
        return _ts
    with _lock:
        if _ts is None:
            import nltk

            nltk.download = _no_download
            import textstat as ts

            for name, module in list(sys.modules.items()):
                if name.startswith("textstat.") and hasattr(module, "get_cmudict"):
                    module.get_cmudict = _offline_cmudict
            instance = type(ts.textstat)()
            instance.set_lang(LANGUAGE)
            _ts = instance
    return _ts


def scores(text: str) -> dict[str, float]:
    """Flesch reading ease and Flesch-Kincaid grade, rounded to one decimal place."""
    ts = textstat()
    return {
        "reading_ease": round(float(ts.flesch_reading_ease(text)), 1),
        "grade": round(float(ts.flesch_kincaid_grade(text)), 1),
    }
