"""Which sense a word has here, from its neighbours and the parse.

"Contact" is family time in "supervised contact" and "drive her to contact", but a
professional's or agency's dealings in "the nursery's contact with the family", "in regular
contact with the school", "Type of contact: home visit", a decision area of the Mental
Capacity Act in "capacity to decide about contact with others", and plain English in "made
contact" or "eye contact".  "Placement" is a child's home in "his foster placement", but a
student's in "a student on placement with the team" and an object's in "the placement of the
cameras".

A sense check answers ``("this", why)`` when the words are surely the rule's sense (which
overrides a part-of-speech slip of the small model: "late to contact" is tagged a verb),
``("other", why)`` when they are surely another, or ``(None, "")`` when the other conditions
decide.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from .. import lazyre
from ..resources import wordlist_words

Verdict = tuple[str | None, str]




#: what a family-time word is in a child's life: "supervised contact", "contact sessions"
_FAMILY_TIME_MODIFIERS = frozenset(
    "supervised unsupervised direct indirect letterbox face-to-face video holiday weekend overnight "
    "sibling family weekly fortnightly monthly daily telephone phone birth parental staying "
    "positive".split()
)
_FAMILY_TIME_NOUNS = frozenset("session sessions visit visits arrangements arrangement time plan "
                               "plans centre supervisor supervisors notes recording".split())
#: verbs that take family time as their object: "promote contact", "missed contact"
_FAMILY_TIME_VERBS = frozenset(
    "promote facilitate support attend miss cancel arrange reduce increase stop suspend resume "
    "observe supervise enjoy offer refuse allow deny restrict reinstate restart start end "
    "terminate progress".split()
)
#: a decision area of the Mental Capacity Act, or a list of them
_MCA = lazyre.compile(
    r"\b(?:capacity|capacitous|decide|decides|deciding|decision|decisions|decision-making|"
    r"best\s+interests?)\b[^.;]{0,80}\Z",
    re.IGNORECASE,
)
_MCA_LIST = lazyre.compile(r"\b(?:residence|care)\s*(?:,|and)\s*(?:(?:residence|care)\s*(?:,|and)\s*)?\Z",
                       re.IGNORECASE)
_FIELD_BEFORE = lazyre.compile(
    r"\b(?:type|method|mode|date|nature|means|reason|purpose|form|place|time|duration|record|"
    r"details)\s+(?:of|for)\s+\Z|\b(?:next|last|previous|first|initial|latest)\s+\Z",
    re.IGNORECASE,
)
_IN_CONTACT_WITH = lazyre.compile(
    r"\b(?:in|into|out\s+of)\s+(?:\w+\s+){0,2}\Z", re.IGNORECASE)
_WITH_OBJECT = lazyre.compile(
    r"\A(?:\s+[\w'’-]+){0,3}?\s+(?:with|between)\s+((?:[\w'’-]+\s+){0,5}[\w'’-]+)", re.IGNORECASE)
_BETWEEN = lazyre.compile(
    r"\A(?:\s+[a-z'’-]+){0,3}?\s+between\s+((?:[\w'’-]+\s+){0,8}?[\w'’-]+)(?=\s*(?:[.,;:()]|$|\s+(?:was|were|is|are|has|had|will|would|should|can|could|must|may|might|took|takes|continued|stopped)\b))",
    re.IGNORECASE)
_TO_NOUN_AFTER = lazyre.compile(
    r"\A\s*(?:[.,;:!?)]|$|(?:on|at|in|with|and|or|every|each|because|but|today|tomorrow|"
    r"yesterday|this|last|next|after|before|since|until|when|as|for|so|which|where|late|early|"
    r"again)\b)", re.IGNORECASE)
_TO_BEFORE = lazyre.compile(
    r"\b(?:go|goes|going|went|gone|drive|drives|driving|drove|driven|take|takes|taking|took|taken|"
    r"bring|brings|bringing|brought|late|arrive|arrives|arrived|arriving|travel|travels|"
    r"travelled|travelling|come|comes|came|coming|walk|walked|return|returned|get|got|"
    r"transport|transported|escort|escorted|way|journey|journeys|lift|lifts)\s+(?:\w+\s+){0,2}to\s*\Z",
    re.IGNORECASE,
)
#: the start of a verb's object: "to contact the school", "to contact him"
_OBJECT_STARTS = frozenset("the a an his her their my our your its this that these those him them me us "
                           "you it someone somebody anyone everyone all both".split())
_DETERMINERS = frozenset("the a an his her their my our your its this that these those any some "
                         "all both each every other".split())
_OTHERS = frozenset("others other people anyone anybody everyone everybody strangers friends "
                    "public professionals agencies services".split())


def _object_kind(phrase: str) -> tuple[str, str]:
    """What follows "with"/"between": ``family``, ``other``, ``anyone`` or ``unknown``, and its head.

    A possessor is not the head: "the children's social worker" is a professional. A name in
    capitals is read whole: "Hackney Children and Families Services" is a service. "Any child"
    is no one in particular: a restriction ("no unsupervised contact with any child"), not
    family time.
    """
    raw = phrase.split()
    words = [w.lower().strip("'’") for w in raw]
    owned = [i for i, w in enumerate(words) if w.endswith(("'s", "’s", "s'", "s’"))]
    if owned and owned[0] + 1 < len(words):
        raw, words = raw[owned[-1] + 1:], words[owned[-1] + 1:]
    words = [w[:-2] if w.endswith(("'s", "’s")) else w for w in words]
    content = [w for w in words if w not in _DETERMINERS]
    if words[:1] == ["any"] and content[:1] and content[0] in ("child", "children", "person", "people",
                                                               "minor", "minors", "young"):
        return "anyone", content[0]
    if words[:1] in (["the"], ["a"]) and content[:1] in (["family"], ["families"]):
        return "other", content[0]  # a professional's contact with "the family" as a whole
    name = list(itertools.takewhile(lambda w: w[:1].isupper() or w in ("and", "of", "&"),
                                    [w for w in raw if w.lower() not in _DETERMINERS]))
    if len(name) > 1 and {w.lower() for w in name} & wordlist_words("not-people"):
        return "other", name[-1].lower()
    for w in content[:4]:
        if w in _OTHERS or w in wordlist_words("not-people"):
            return "other", w
        if w in wordlist_words("family"):
            return "family", w
    return "unknown", content[0] if content else ""


def _around(sent: Any, span: Any) -> tuple[str, str]:
    """The sentence's text before the words and after them."""
    text, offset = sent.text, sent.start_char
    return text[:span.start_char - offset], text[span.end_char - offset:]


def family_time(sent: Any, span: Any) -> Verdict:
    """Contact as family time, or another sense (see the module's docstring)."""
    noun = next((t for t in span if t.lower_ in ("contact", "contacts")), None)
    if noun is not None and len(span) > 1 and span.root.i != noun.i and span.root.lemma_.lower() == "have":
        span = span.doc[noun.i:noun.i + 1]  # "had contact with": the sense of its noun
    before, after = _around(sent, span)
    words = [t.lower_ for t in span]
    head = span.root
    # the person it is with: "with his father" (family) or "with the school" (another sense)
    m = _WITH_OBJECT.match(after)
    kind, who = _object_kind(m.group(1)) if m else ("unknown", "")
    pair = _BETWEEN.match(after)
    if pair:
        # "contact between the birth mother and the adoption agency": either side may
        # be a service
        sides = [_object_kind(side) for side in re.split(r"\s+and\s+", pair.group(1)) if side.strip()]
        other = next(((k, w) for k, w in sides if k == "other"), None)
        if other is not None:
            kind, who = other
    if kind == "anyone":
        return "other", f"contact with any {who}: a restriction, not family time"
    # the words themselves: "supervised contact", "contact sessions"
    if any(w in _FAMILY_TIME_MODIFIERS for w in words) or any(w in _FAMILY_TIME_NOUNS for w in words):
        if not _MCA.search(before):
            return "this", "family time by its own words"
    if _MCA.search(before) or _MCA_LIST.search(before):
        return "other", "a decision area of the Mental Capacity Act"
    if after.lstrip().startswith(":") and _FIELD_BEFORE.search(before):
        return "other", "a field of a professional's record"
    if _FIELD_BEFORE.search(before) and before.rstrip().lower().endswith(("of", "first", "initial")):
        return "other", "a professional's contact (type, first, initial ...)"
    if _IN_CONTACT_WITH.search(before) and after.lstrip().lower().startswith("with"):
        return "other", "'in contact with': keeping in touch"
    if kind == "other":
        return "other", f"contact with '{who}', not family"
    # whose contact: "the nursery's contact", "the health visitor had contact"
    owner = _owner(head)
    if owner is not None and _is_service(owner):
        return "other", f"the contact of '{owner.text}', a service or professional"
    if owner is not None and owner.lower_ in ("i", "we", "my", "our"):
        return "other", "the writer's own contact"
    if owner is not None and owner.lower_ in ("he", "she", "they", "his", "her", "their"):
        main = next((t for t in sent if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
        if main is not None and main.i < owner.i and _is_service(main):
            return "other", f"the contact of '{main.text}', a service or professional"
    if kind == "family":
        return "this", f"contact with '{who}', family"
    # "drive her to contact", "late to contact": a noun the small model tags as a verb
    if before.rstrip().lower().endswith(" to") or before.rstrip().lower() == "to":
        nxt = re.match(r"\s*([\w'’]+)", after)
        takes_object = bool(nxt) and (nxt.group(1).lower() in _OBJECT_STARTS or nxt.group(1)[:1].isupper())
        if _TO_BEFORE.search(before) and not takes_object:
            return "this", "'to contact' as a place to go"
        if _TO_NOUN_AFTER.match(after) and head.pos_ != "VERB":
            return "this", "'to contact' as a place to go"
    if head.pos_ in ("NOUN", "PROPN"):
        verb = head.head
        if head.dep_ in ("dobj", "nsubjpass") and verb.lemma_.lower() in _FAMILY_TIME_VERBS:
            return "this", f"the object of '{verb.text}'"
    return None, ""


def _owner(head: Any) -> Any | None:
    """A possessor ("the nursery's contact"), or the subject of "have/had/make contact"."""
    for c in head.children:
        if c.dep_ == "poss":
            return c
    verb = head.head
    if head.dep_ in ("dobj", "nsubj") and verb.lemma_.lower() in ("have", "make", "keep", "maintain",
                                                                  "resume", "begin", "start"):
        for c in verb.children:
            if c.dep_ == "nsubj" and c.i != head.i:
                return c
    return None


def _is_service(token: Any) -> bool:
    words = {token.lower_, token.lemma_.lower()}
    words |= {c.lower_ for c in token.children if c.dep_ in ("compound", "amod")}
    compound = " ".join([c.lower_ for c in token.children if c.dep_ == "compound"][-1:] + [token.lower_])
    return bool((words | {compound}) & wordlist_words("not-people"))


#: "a placement with the ambulance service" / "at a law firm": a host that is not a person
_HOST = lazyre.compile(r"\A\s+(?:with|at)\s+(?:(?:the|a|an|her|his|their|my|your|our)\s+)?([a-z][\w-]*)")
#: a sentence about study or a career
_STUDY = lazyre.compile(r"\b(?:sixth[ -]form|college|university|course|degree|work experience|apprentice\w*|"
                    r"internship|careers?|wants? to (?:be|become|work)|training to be|qualif\w+|"
                    r"volunteer\w*|(?:summer|work|student|school|year-long|industry) placement)\b",
                    re.IGNORECASE)


def care_home(sent: Any, span: Any) -> Verdict:
    """Placement as a child's home, or a student's, a job's or an object's placement."""
    # the placement's owner, or the owner of the noun it qualifies ("the student's
    # placement report")
    holders = [span.root] + ([span.root.head] if span.root.dep_ == "compound" else [])
    owner = next((c for h in holders for c in h.children if c.dep_ in ("poss", "compound")
                  and c.i < span.root.i), None)
    if owner is not None and owner.lemma_.lower() in ("student", "trainee", "apprentice", "intern"):
        return "other", f"a {owner.lemma_.lower()}'s placement"
    before, after = (part.lower() for part in _around(sent, span))
    if re.search(r"\b(?:student|trainee|students|trainees|apprentice|intern|social\s+work\s+student|"
                 r"practitioner|worker|nurse|doctor)\b[^.;]{0,40}\bon\s+(?:(?:her|his|their|a|the)\s+)?"
                 r"(?:(?:final|first|second|third|last|current|new|next)\s+)?\Z", before):
        return "other", "a student's or worker's practice placement"
    host = _HOST.match(after)
    if host and host.group(1) not in wordlist_words("people") and _STUDY.search(sent.text):
        return "other", f"a study or work placement (with '{host.group(1)}')"
    if span[-1].lower_ == "of":  # the match is "placement of": its object follows
        after = " of" + after
    m = re.match(r"\s+of\s+((?:[\w'’-]+\s+){0,3}[\w'’-]+)", after)
    if m and span.root.lower_ in ("placement", "placements"):
        kind, who = _object_kind(m.group(1))
        if who and kind != "family" and who not in wordlist_words("people") and not who[:1].isupper():
            return "other", f"the placement of '{who}', not a child's home"
    return None, ""


#: the sentence is about a lawyer and the person they act for
_LEGAL_CLIENT = lazyre.compile(
    r"\b(?:solicitors?|barristers?|counsel|lawyers?|advocates?|attorneys?|represent(?:s|ed|ing)?|"
    r"representation|act(?:s|ed|ing)?\s+for|on\s+behalf\s+of|instruct(?:s|ed|ing|ions)?|legal\s+aid|"
    r"cross-examin\w*|privilege)\b",
    re.IGNORECASE,
)


def person_supported(sent: Any, span: Any) -> Verdict:
    """"Client" as the person a service supports, or a lawyer's client ("acting for clients
    who ...", "unable to represent his client")."""
    m = _LEGAL_CLIENT.search(sent.text)
    if m:
        return "other", f"a lawyer's client ('{m.group(0)}')"
    return None, ""


_TO_PROVE = lazyre.compile(r"\A\s+(?:[\w'’-]+\s+){0,4}?to\s+(?:prove|disprove|show|demonstrate|establish|"
                       r"satisfy|persuade|justify|rebut)\b", re.IGNORECASE)


def person_as_burden(sent: Any, span: Any) -> Verdict:
    """A person (or their care) as a weight, or a burden of proof ("it is not a burden on
    the parent to show that ...")."""
    if _TO_PROVE.match(_around(sent, span)[1]):
        return "other", "a burden of proof"
    return None, ""


#: what was seen follows the verdict: "poor home conditions, including dirty surfaces and ..."
_EVIDENCE_AFTER = lazyre.compile(
    r"\A(?:\s+(?:were|was|are|is|remain|remained|remains)\s+(?:very\s+|still\s+)?[\w-]+)?"
    r"\s*(?::\s*\w|\(|[-–—]\s+\w|,?\s*(?:including|included|includes|such\s+as|namely|e\.g\.|"
    r"for\s+example|for\s+instance|in\s+that|because|as\s+there\s+(?:was|were)|with\s+(?:no|dirty|"
    r"broken|rubbish|clutter|mould|damp|food|dog|animal|faeces|urine|little|only)\b))",
    re.IGNORECASE,
)


def unsupported_verdict(sent: Any, span: Any) -> Verdict:
    """A verdict on its own ("home conditions were poor"), or one the sentence goes on to
    support with what was seen ("poor home conditions, including ...")."""
    if _EVIDENCE_AFTER.match(_around(sent, span)[1]):
        return "other", "what was seen follows in the same sentence"
    return None, ""


#: the words of a court or a police investigation, where an admission is the law's term
_COURT = lazyre.compile(
    r"\b(?:in\s+(?:evidence|cross-examination|interview|his\s+statement|her\s+statement|"
    r"the\s+witness\s+box)|cross-examin\w*|the\s+court|judge|threshold|allegations?|"
    r"findings?\s+of\s+fact|offences?|charged|guilty|pleaded|police\s+interview|"
    r"schedule\s+of\s+findings|the\s+local\s+authority['’]s\s+case|"
    # a judgment's names for the parties: "the mother admitted that she had ..."
    r"the\s+(?:mother|father|parents|respondent|applicant|intervener))\b", re.IGNORECASE)


def admission(sent: Any, span: Any) -> Verdict:
    """"Admitted" as a confession put on a parent ("Mum admitted that she finds bedtimes
    hard"), or as the term of a court or an investigation ("in evidence the father
    admitted that ...")."""
    m = _COURT.search(sent.text)
    if m:
        return "other", f"an admission in proceedings ('{m.group(0)}')"
    return None, ""


SENSES: dict[str, Callable[[Any, Any], Verdict]] = {
    "admission": admission,
    "family-time": family_time,
    "care-home": care_home,
    "person-supported": person_supported,
    "person-as-burden": person_as_burden,
    "unsupported-verdict": unsupported_verdict,
}
