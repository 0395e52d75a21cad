"""Words named rather than used: mentions, definitions and citations.

A record that discusses language ("Non-engagement and non-compliance are terms that
blame"), defines it ("what is sometimes called disguised compliance"), or cites a case
("Re B (Care Proceedings: Appeal)") is not labelling anyone.  Everything here needs only
the text, so it runs before spaCy.
"""

from __future__ import annotations

import re

from .. import lazyre
from ..limits import line_chunks
from .text import TextIndex, inside, line_around

#: a word named rather than used: "the word 'contact'", "terms such as placement"
MENTION_WORDS = frozenset(
    "word words term terms phrase phrases label labels expression expressions acronym "
    "acronyms abbreviation abbreviations jargon language wording euphemism euphemisms "
    "concept concepts notion notions".split()
)
#: words that end a list of mentioned terms and start a clause of their own
_CLAUSE = frozenset(
    "is are was were be been being has have had will would should can could may might must "
    "that which who because when where while but so if does do did".split()
)
#: "what is sometimes called ...", "so-called ..."
_NAMED_BEFORE = lazyre.compile(
    r"(?:\bso[- ]called|\b(?:what|which|something)\s+(?:(?:is|are|was|were|has|have|"
    r"been|being|can|could|may|might|be|often|sometimes|commonly|also|now|usually|still|widely|"
    r"formerly|previously|once)\s+){0,4}(?:called|termed|known\s+as|referred\s+to\s+as)"
    r"|\bthe\s+(?:term|word|phrase|label|expression|concept|notion|idea|language)s?(?:\s+of)?"
    r"|\b(?:terms?|words?|phrases?|labels?|expressions?|language)\s+(?:such\s+as|like|including|"
    r"as)"
    r"|\b(?:instead\s+of|rather\s+than|in\s+place\s+of)\s+(?:the\s+(?:word|term|phrase)\s+)?"
    r"|\b(?:terms?|words?|phrases?|labels?|expressions?)\s*:"
    r"|\b(?:test|threshold|findings?|concept|allegations?|definition)\s+of\s+(?:an?\s+)?"
    r"|\bto\s+(?:find|prove|establish|make\s+out)\s+(?:an?\s+)?)"
    r"[\s'\"‘“]*\Z",
    re.IGNORECASE,
)
#: the start of what may follow a mentioned term: "... are terms that", "... should be called"
_NAMED_AFTER = lazyre.compile(
    r"[\s'\"’”]*(?:,\s*)?(?:(?:is|are|was|were)\s+(?:(?:a|an|the|often|sometimes|commonly|widely|"
    r"still|also|just|not|only|now|so|really|too|very)\s+){0,3}(?:[a-z-]+\s+){0,2}"
    # a school term is not a term for something: "is reviewed each term", "is due next term"
    r"(?<!\beach\s)(?<!\bevery\s)(?<!\bper\s)(?<!\bthis\s)(?<!\bnext\s)(?<!\blast\s)"
    r"(?<!\bthat\s)(?<!\bschool\s)(?<!\bfull\s)(?<!\blong\s)(?<!\bshort\s)"
    r"(?:terms?|words?|phrases?|labels?|expressions?|concepts?|shorthand|jargon|euphemisms?)\b"
    r"|(?:is|are)\s+(?:(?:often|sometimes|commonly|widely|still|also|now|not)\s+){0,2}used\s+"
    r"(?:to\s+describe|about|for|when|as|in\s+place)"
    r"|(?:should|must|could|can|would|might)\s+(?:not\s+)?(?:now\s+|instead\s+|rather\s+)?be\s+"
    r"(?:(?:called|replaced|renamed|described|referred\s+to|written|avoided|dropped)\b)"
    r"|(?:is|are)\s+(?:now\s+|also\s+|sometimes\s+|often\s+)?(?:called|known\s+as|replaced|renamed)"
    r"\s+(?!off\b)"
    r"|(?:means|meant|refers\s+to|is\s+defined\s+as|is\s+when))"
)
#: what opens a list of mentioned terms: "words such as", "terms like", "phrases:"
_LIST_TRIGGER = lazyre.compile(
    r"\b(?:terms?|words?|phrases?|labels?|expressions?|language)\s+(?:such\s+as|like|including)\b"
    r"|\b(?:terms?|words?|phrases?|labels?)\s*:", re.IGNORECASE)
#: case titles and citations: "Re B-S (Children)", "A County Council v M", "[2013] EWCA Civ 1146"
_CITATION = lazyre.compile(
    r"\bRe\s+[A-Z][\w-]*(?:\s*\([^()\n]{1,160}\))?(?:\s*\[\d{4}\][^.;\n]{0,40})?"
    r"|\b[A-Z][\w' -]{0,60}\sv\.?\s[A-Z][\w' -]{0,60}?(?:\s*\([^()\n]{1,160}\))?\s*\[\d{4}\][^.;\n]{0,40}"
    r"|\[\d{4}\]\s+(?:[A-Z]+\s+){1,3}\d+(?:\s*\([A-Za-z]+\))?"
)


#: the last word of a service's, an order's or an office's name: "Family Assistance Order"
NAME_HEADS = frozenset(
    "order orders unit units officer officers team teams service services centre centres center "
    "court act hospital trust board partnership partnerships council doctor nurse panel hub clinic "
    "project programme program scheme department association society foundation agency school "
    "college ward authority commissioner tribunal network forum group committee institute "
    "academy charity alliance office directorate division friends".split()
)
_NAME_INNER = frozenset("of for and the in on".split())


def proper_name(idx: TextIndex, first: int, last: int) -> str | None:
    """The Title Case name of a service, an order or an office that the words ``first``..
    ``last`` are only part of ("Assistance" in "Family Assistance Order"), or ``None``.

    A heading in Title Case is not a name: its words are all capitalised."""
    text, starts, ends, norms = idx.text, idx.starts, idx.ends, idx.norms

    def cap(i: int) -> bool:
        return text[starts[i]].isupper()

    while first < last and norms[first] in ("the", "a", "an"):
        first += 1  # "the Elderly" in "Friends of the Elderly"
    if not all(cap(i) for i in range(first, last + 1)):
        return None
    lo = first
    while lo > 0 and idx.joined(lo - 1) and (cap(lo - 1) or norms[lo - 1] in _NAME_INNER):
        lo -= 1
    while lo < first and (not cap(lo) or norms[lo] in ("the", "a", "an")):
        lo += 1
    hi = last
    n = len(norms)
    while hi + 1 < n and idx.joined(hi) and (cap(hi + 1) or norms[hi + 1] in _NAME_INNER):
        hi += 1
    while hi > last and not cap(hi):
        hi -= 1
    if (lo, hi) == (first, last) or not any(norms[i] in NAME_HEADS for i in range(lo, hi + 1)):
        return None
    line = line_around(text, starts[first], ends[last])[1]
    words = re.findall(r"[^\W\d_]{4,}", line)
    if words and len(words) <= 12 and sum(w[0].isupper() for w in words) > 0.6 * len(words) \
            and not line.rstrip().endswith((".", "?", "!")):
        return None  # a heading in Title Case (a sentence ends in a full stop)
    if lo == 0 or idx.is_sentence_start(starts[lo]):
        # "Assessment Unit staff..." at the start of a sentence: one capital is not a name
        if sum(cap(i) for i in range(lo, hi + 1)) < 3 and norms[hi] not in NAME_HEADS:
            return None
    return text[starts[lo]:ends[hi]]


def _citations(idx: TextIndex) -> tuple[list[int], list[int]]:
    spans = idx.memo.get("citations")
    if spans is None:
        # (the pattern's bounded repeats cost a few microseconds a character on a text
        # made of nothing but "v A v A": read a line-aligned chunk at a time, within the
        # document's time budget)
        found = [(m.start(), m.end()) for a, b in line_chunks(idx.text)
                 for m in _CITATION.finditer(idx.text, a, b)]
        spans = ([s for s, _ in found], [e for _, e in found])
        idx.memo["citations"] = spans
    return spans


def _list_of_terms(between: str) -> bool:
    """Whether the text between a mention trigger and a term is only other listed terms."""
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", between.lower())
    return len(words) <= 12 and not any(w in _CLAUSE for w in words) and not re.search(r"[.;:!?]", between)


def mention_reason(idx: TextIndex, first: int, last: int, start: int, end: int) -> str | None:
    """Why the words ``[start, end)`` (words ``first``..``last``) are named rather than
    used, or ``None`` when they are used."""
    before = idx.words_before(first, 4)
    if before and before[-1] in MENTION_WORDS:
        return f"a term named as a term (after '{before[-1]}')"
    if inside(_citations(idx), start, end):
        return "part of a case title or citation"
    s_start, s_end = idx.sentence_span(start)
    head = idx.text[s_start:start]
    m = _NAMED_BEFORE.search(head[-160:])
    if m:
        said = " ".join(m.group().split()).strip("'\"")
        return f"a term named as a term (after '{said}')"
    # a list of terms: "words such as non-compliance, chaotic and hard to reach"
    near = head[-200:]
    for trigger in _LIST_TRIGGER.finditer(near):
        if _list_of_terms(near[trigger.end():]):
            return f"one of a list of terms (after '{trigger.group().strip()}')"
    tail = idx.text[end:s_end]
    # skip the rest of a list: "Non-engagement and non-compliance are terms that ..."
    rest = tail
    for _ in range(4):
        m = re.match(r"[\s'\"’”]*(?:,\s*|\s+(?:and|or)\s+|\s*/\s*)(?:and\s+|or\s+)?['\"‘“]?"
                     r"[^\W\d_]+(?:[ -][^\W\d_]+){0,3}?['\"’”]?(?=[\s,/]|$)", rest)
        if not m or any(w in _CLAUSE for w in m.group().lower().split()):
            break
        if _NAMED_AFTER.match(rest):
            break
        rest = rest[m.end():]
    m = _NAMED_AFTER.match(rest)
    if m and m.group().strip(" ,'\"’”"):
        said = " ".join(m.group().split()).strip("'\",")
        # "Mr S's disguised compliance means the plan is not working", "her refusal to
        # engage with the IDVA meant": someone's or a particular one, it is used, and
        # "means" is what it leads to
        if said.startswith(("means", "meant")) and _OWNED.search(head):
            return None
        return f"a term being discussed (before '{said}')"
    return None


#: a possessive or a determiner just before the words: "Mr S's", "her", "the"
_OWNED = lazyre.compile(r"(?:['’]s|\b(?:his|her|their|its|my|our|your|the|this|that|a|an))\s*\Z",
                    re.IGNORECASE)
