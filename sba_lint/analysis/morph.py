"""English inflection for phrases and suggestions: ``refuse`` -> ``refuses``/``refused``.

Regular English spelling rules, plus the irregular verbs and plurals listed in
``wordlists/``.  (lemminflect does this from a large table, but loading it costs about
1.4 s per process; the rules below cover the words rule packs use, and the tests check
them against known forms.)  British spelling: ``travel`` -> ``travelled``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..resources import wordlist_rows

VERB_TAGS = ("VB", "VBP", "VBZ", "VBD", "VBN", "VBG")
NOUN_TAGS = ("NN", "NNS")
_VOWELS = "aeiou"
#: two-syllable verbs stressed on the last syllable: their final consonant doubles
_DOUBLING = frozenset(
    "abet admit allot commit compel control deter equip excel expel extol forget incur "
    "occur omit patrol permit prefer propel rebel recur refer regret remit repel submit "
    "transfer transmit upset acquit befit beget confer defer infer begin".split()
)
_NO_DOUBLING_ENDS = ("w", "x", "y")


@lru_cache(maxsize=1)
def _irregular_verbs() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in wordlist_rows("irregular-verbs") if len(row) >= 3}


@lru_cache(maxsize=1)
def _irregular_plurals() -> dict[str, str]:
    return {row[0]: row[1] for row in wordlist_rows("irregular-plurals") if len(row) >= 2}


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiouy]+", word.rstrip("e") or word))


def _doubles(word: str) -> bool:
    if len(word) < 3 or word[-1] in _VOWELS or word[-1] in _NO_DOUBLING_ENDS:
        return False
    if not (word[-2] in _VOWELS and word[-3] not in _VOWELS):
        return False
    if word.endswith("qu" + word[-1]):
        return True
    if word in _DOUBLING or _syllables(word) == 1:
        return True
    return word[-1] == "l"  # British: travelled, cancelled, labelled


def third_person(verb: str) -> str:
    special = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if verb in special:
        return special[verb]
    if re.search(r"(s|x|z|ch|sh|[^aeiou]o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def past(verb: str, participle: bool = False) -> str:
    irregular = _irregular_verbs().get(verb)
    if irregular:
        return irregular[1 if participle else 0]
    if verb.endswith("e"):
        return verb + "d"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    if verb.endswith("c"):
        return verb + "ked"
    if _doubles(verb):
        return verb + verb[-1] + "ed"
    return verb + "ed"


def gerund(verb: str) -> str:
    if verb == "be":
        return "being"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        return verb[:-1] + "ing"
    if verb.endswith("c"):
        return verb + "king"
    if _doubles(verb):
        return verb + verb[-1] + "ing"
    return verb + "ing"


def plural(noun: str) -> str:
    irregular = _irregular_plurals()
    if noun in irregular:
        return irregular[noun]
    for singular, many in irregular.items():  # grandchild, stepchild ...
        if noun.endswith(singular) and len(noun) > len(singular) + 2:
            return noun[: -len(singular)] + many
    if re.search(r"(s|x|z|ch|sh)$", noun):
        return noun + "es"
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + "s"


def singular(noun: str) -> str:
    """The singular of a plural noun (``plural`` undone); other words as they are."""
    for one, many in _irregular_plurals().items():
        if noun == many or (noun.endswith(many) and len(noun) > len(many) + 2
                            and plural(noun[: -len(many)] + one) == noun):
            return noun[: len(noun) - len(many)] + one
    if noun.endswith(("ss", "us", "is")):  # "class", "bus", "crisis"
        return noun
    for ending, back in (("ies", "y"), ("es", ""), ("s", "")):
        if noun.endswith(ending) and len(noun) > len(ending) + 1:
            stem = noun[: -len(ending)] + back
            if plural(stem) == noun:
                return stem
    return noun


def verb_forms(lemma: str) -> dict[str, str]:
    """Every form of a verb, by Penn tag."""
    return {
        "VB": lemma,
        "VBP": lemma,
        "VBZ": third_person(lemma),
        "VBD": past(lemma),
        "VBN": past(lemma, participle=True),
        "VBG": gerund(lemma),
    }


def noun_forms(lemma: str) -> dict[str, str]:
    return {"NN": lemma, "NNS": plural(lemma)}


def inflect(word: str, tag: str) -> str:
    """Put a base-form word into the form ``tag`` (Penn tag); unknown tags leave it."""
    lower = word.lower()
    if tag in ("VBZ", "VBD", "VBN", "VBG"):
        form = verb_forms(lower)[tag]
    elif tag == "NNS":
        form = plural(lower)
    else:
        return word
    return match_case(form, word)


def match_case(form: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return form.upper()
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


#: "does not" written as one word
NOT_CONTRACTED = {"do": "don't", "does": "doesn't", "did": "didn't", "is": "isn't", "are": "aren't",
                  "was": "wasn't", "were": "weren't", "has": "hasn't", "have": "haven't",
                  "had": "hadn't", "could": "couldn't", "would": "wouldn't", "should": "shouldn't",
                  "will": "won't", "can": "can't", "must": "mustn't"}


def contracted_not(aux: str) -> str:
    """``does`` -> ``doesn't`` (in the case of ``aux``)."""
    return match_case(NOT_CONTRACTED[aux.lower()], aux)
