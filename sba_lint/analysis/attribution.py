"""Reported speech: words the writer records as somebody else's.

"Mum says Isaac is beyond control", "the referrer called them a dysfunctional family",
"the police log describes it as mutual abuse", "according to the school, he is
aggressive": the label is the speaker's, not the writer's.  A rule about labels or blame
should not accuse the writer of it; at most it asks for the speaker's exact words in
quotation marks.  "I said", "we told" are the writer's own words and stay the writer's.

A cheap test on the sentence's words comes first; the dependency parse is asked only
when a verb of saying, or "according to", is there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from . import morph

#: verbs that report what someone said, wrote, believed or called somebody
SPEECH_VERBS = frozenset(
    """say tell call describe report state allege claim complain assert insist argue suggest
    explain write mention accuse label refer recount disclose admit deny maintain believe think
    feel consider characterise characterize portray brand recall reply shout scream text
    message email inform warn concede acknowledge submit contend regard view perceive comment
    note record tweet answer""".split()
)
#: verbs of naming: their object or its description is the speaker's label ("called him a liar")
_NAMING = frozenset("call label brand name term describe characterise characterize portray".split())
#: with no speaker, or "it", these are the writer's (or the agency's) own view: "it was felt"
_WRITER_VOICE = frozenset("note feel think consider believe record regard view perceive".split())
#: the writer: their own words are not reported speech
_WRITER = frozenset("i we me us my our myself ourselves".split())
#: how a reported clause hangs from any verb of saying, and a label from a verb of naming
_CLAUSE_DEPS = frozenset("ccomp xcomp oprd parataxis".split())
_NAMING_DEPS = frozenset("dobj attr acomp".split())
_ACCORDING = re.compile(r"\baccording\s+to\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _forms() -> frozenset[str]:
    out = set()
    for lemma in SPEECH_VERBS:
        out.add(lemma)
        out.update(morph.verb_forms(lemma).values())
    out.update(("says", "said", "told", "thought", "felt", "wrote", "written"))
    return frozenset(out)


def may_report(sentence: str) -> bool:
    """Whether a sentence could hold reported speech (a verb of saying, or "according to")."""
    if _ACCORDING.search(sentence):
        return True
    forms = _forms()
    return any(w in forms for w in re.findall(r"[a-z]+", sentence.lower()))


def speaker(span: Any) -> tuple[bool, str]:
    """Whether the spaCy ``span`` is reported as somebody else's words, and whose.

    Returns ``(True, who)`` with ``who`` the speaker as written ("Mum", "the referrer",
    or "" when the sentence does not say), else ``(False, "")``.
    """
    sent = span.sent
    token = span.root
    child = None
    for _ in range(12):
        lemma = token.lemma_.lower()
        if child is not None and lemma in SPEECH_VERBS and token.pos_ in ("VERB", "AUX"):
            reported = (
                child.dep_ in _CLAUSE_DEPS
                or (child.dep_ == "prep" and child.lower_ in ("as", "like"))
                or (child.dep_ in _NAMING_DEPS and lemma in _NAMING)
            )
            if reported:
                who = _subject_of(token)
                if who is not None and who.lower_ in _WRITER:
                    return False, ""
                if (who is None or who.lower_ == "it") and lemma in _WRITER_VOICE:
                    return False, ""
                return True, _phrase(who) if who is not None and who.lower_ != "it" else ""
        if token.head.i == token.i:
            break
        child, token = token, token.head
    # "According to the school, ..." anywhere in the clause above the words
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(sent.doc) and sent.doc[t.i + 1].lower_ == "to":
            if _governs(t.head, span.root) or t.head.i == sent.root.i:
                objs = [c for c in sent.doc[t.i + 1].children if c.dep_ == "pobj"]
                return True, _phrase(objs[0]) if objs else ""
    return False, ""


#: what a label can be quoted from: records and the documents of a case
RECORDS = frozenset("""note notes record records log logs minutes report reports assessment
    assessments summary sheet chronology referral referrals file files entry entries handover
    statement statements letter letters plan plans review reviews form forms email emails
    keyworker caseworker clinician consultant registrar paramedic officer ward""".split())
#: of those, the professionals and the wards: whoever's they are ("her keyworker"), theirs
_STAFF = frozenset("keyworker caseworker clinician consultant registrar paramedic officer ward".split())
#: titles a professional is named with ("Dr Shah described her as ...")
_TITLES = frozenset("dr pc ds dc sgt cllr prof".split())
#: verbs a quoted label hangs from: naming ("described as", "labelled") and recording
#: ("the note records that he was ...")
_QUOTING = _NAMING | frozenset("record note write document state report refer".split())
#: verbs by which a record files a label with nobody named ("was recorded as", "was
#: described as"); not "was called", which anyone in the street may do
_RECORDING = frozenset("record document note label describe log list code refer term classify".split())


#: words by which a writer questions a label they quote ("was wrongly described as ...",
#: "an unhelpful label", "described as 'non-engaging' when in fact he was in hospital")
_DISPUTED = frozenset("""wrongly unfairly inaccurately incorrectly mistakenly unjustly wrong
    unjustified inaccurate unfair untrue unfounded critical criticised criticized criticism
    criticising criticizing unhelpful inappropriate inappropriately pejorative derogatory
    stigmatising stigmatizing judgemental judgmental blaming victim-blaming""".split())
_IN_FACT = re.compile(r"\b(?:in\s+fact|in\s+reality|actually)\b", re.IGNORECASE)


def quoted_from_record(span: Any, professionals: frozenset[str],
                       quoted: Callable[[Any], bool] = lambda token: False) -> tuple[bool, str]:
    """Whether the quoted words of ``span`` are a label a record or a professional gave the
    person ("the GP record describes him as a 'heartsink patient'", "she was labelled
    'non-compliant'", "the social worker records that M 'failed to engage'"), and whose.

    Quoted words are otherwise somebody's own, left as they are: a parent's or a child's
    words, the writer's, or words quoted to talk about them ("the description of her as
    'chaotic' was unfair": the label hangs from a noun, not from a verb of naming).
    ``professionals`` are the nouns for services and professionals (``not-people``);
    ``quoted`` tells whether a word is inside quotation marks: a verb of naming inside
    them is the speaker's own story ("Jordan said: 'My teacher called me a liar'")."""
    sent = span.sent
    if any(t.lower_ in _DISPUTED for t in sent) or _IN_FACT.search(sent.text):
        return False, ""  # the writer questions the label rather than carries it
    token, child = span.root, None
    inside = {t.i for t in span}
    as_ = False  # an "as" or "like" on the way up: "described (on the summary) as ..."
    for _ in range(8):
        if token.i not in inside:
            if token.pos_ in ("VERB", "AUX"):
                break
            if token.pos_ == "ADP":
                as_ = as_ or token.lower_ in ("as", "like")
            # a noun the quoted words describe ("a 'needy' woman"), itself the label, or
            # where it was written ("on the discharge summary")
            elif token.pos_ not in ("NOUN", "PROPN", "ADJ") or token.dep_ not in (
                    "pobj", "dobj", "attr", "oprd", "acomp", "conj"):
                return False, ""
        if token.head.i == token.i:
            return False, ""
        child, token = token, token.head
    else:
        return False, ""
    lemma = token.lemma_.lower()
    if lemma not in _QUOTING or child is None:
        return False, ""
    if not (child.dep_ in _CLAUSE_DEPS or as_
            or (child.dep_ in _NAMING_DEPS and lemma in _NAMING)):
        return False, ""
    if any(c.dep_ == "neg" for c in token.children) or quoted(token):
        return False, ""  # "the GP did not describe her as 'needy'"; a verb in the quote
    who = _subject_of(token)
    if who is None or who.lower_ == "it":
        # "was described as", "is recorded as": a record's words, whoever wrote them; not
        # "was called 'a liar' at school" (by anyone), "(hates) being called", "to be called"
        said = _passive(token) and lemma in _RECORDING and token.dep_ not in (
            "xcomp", "pcomp", "pobj", "acl") and not any(
            c.dep_ in ("aux", "auxpass") and c.lower_ in ("to", "be", "being")
            for c in token.children)
        return (True, "") if said else (False, "")
    if _professional(who, professionals):
        return True, _phrase(who)
    return False, ""


def _professional(who: Any, professionals: frozenset[str]) -> bool:
    """A record, a service or a professional; a record a person owns ("Dad's statement",
    "her diary entry", "Sam's email") is that person's words."""
    head = who.lower_
    compound = " ".join(t.lower_ for t in who.lefts if t.dep_ == "compound") + " " + head
    if any(t.lower_.rstrip(".") in _TITLES for t in who.lefts):
        return True
    if head in RECORDS and head not in _STAFF:
        owner = next((t for t in who.lefts if t.dep_ == "poss"), None)
        return owner is None or _professional(owner, professionals)
    return head in _STAFF or head in professionals or compound.strip() in professionals


def _subject_of(verb: Any, shared: bool = False) -> Any | None:
    """Who does the saying: the subject, or the doer of a passive ("described by his GP").
    The subject of a passive ("Kayla was described as ...") is who is talked about, unless
    an active verb shares it ("Jo was asked about home and said ...": Jo said)."""
    for c in verb.children:
        if c.dep_ == "nsubj" or (shared and c.dep_ == "nsubjpass"):
            return c
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return objs[0]
    if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i and not _passive(verb):
        return _subject_of(verb.head, shared=True)
    return None


def _passive(verb: Any) -> bool:
    """A passive verb ("was labelled"): its subject, said or shared, is who is talked about."""
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _governs(head: Any, token: Any) -> bool:
    t = token
    for _ in range(12):
        if t.i == head.i:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _phrase(token: Any) -> str:
    """The subject as written, with its determiner and possessor ("the police log")."""
    left = [c for c in token.lefts if c.dep_ in ("det", "poss", "compound", "amod")]
    start = min([token.i] + [c.left_edge.i for c in left])
    words = token.doc[start:token.i + 1]
    if words[0].dep_ in ("det", "poss") and words[0].is_title and words[0].pos_ in ("DET", "PRON"):
        # "The referrer said" -> "the referrer", "Her keyworker" -> "her keyworker"
        return words[0].lower_ + words.text[len(words[0].text):]
    return words.text
