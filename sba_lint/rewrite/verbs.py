"""The verb group around a match, and a verb conjugated to take its place.

"The parents **have failed** to attend" is a present perfect with a plural subject, so
``not attend`` becomes "have not attended"; "Jess **is placed** with" is a present
passive with a singular subject, so ``live`` becomes "lives"; "are **being placed**" is a
plan, so ``live`` becomes "are going to live".  A verb that names a state (``have``,
``know``) is not put in the progressive: "is suffering from" + ``have`` gives "has".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analysis import morph

#: verbs of state: "is having asthma" is not English, "has asthma" is
STATIVE = frozenset("have know own need belong seem mean want like love prefer believe".split())
_PLURAL_PRONOUNS = frozenset("we they you these those both".split())
#: nouns that take a plural verb though they have no plural "s"
PLURAL_NOUNS = frozenset("staff police people children men women cattle".split())
_MODALS = frozenset("will would shall should may might must can could".split())


@dataclass
class Group:
    """A verb group: the words it is made of and what they say about time and person."""

    tokens: list[Any]  # the group's words in order: modal, "to", auxiliaries, the verb
    modal: str | None = None
    to: bool = False  # an infinitive: "to be placed"
    perfect: bool = False
    progressive: bool = False
    passive: bool = False
    past: bool = False
    plural: bool = False
    first_person: bool = False  # "I am", "I was"
    negated: bool = False
    bare: str | None = None  # a verb form standing alone ("Accessing the community helps"): its tag
    between: list[Any] = field(default_factory=list)  # adverbs inside the group


def _subject(verb: Any) -> Any:
    for head in (verb, verb.head if verb.dep_ in ("xcomp", "conj", "ccomp") else None):
        if head is None:
            continue
        for c in head.children:
            if c.dep_ in ("nsubj", "nsubjpass", "expl"):
                return c
    return None


def _number(subject: Any) -> tuple[bool, bool]:
    """(plural, first person singular) of a subject."""
    if subject is None:
        return False, False
    low = subject.lower_
    if low == "i":
        return False, True
    if low == "there":  # "there are two" agrees with what follows
        attr = next((c for c in subject.head.children
                     if c.dep_ in ("attr", "nsubj") and c is not subject), None)
        return (attr is not None and attr.tag_ in ("NNS", "NNPS")), False
    if low in _PLURAL_PRONOUNS or low in PLURAL_NOUNS or subject.tag_ in ("NNS", "NNPS"):
        return True, False
    if any(c.dep_ == "conj" for c in subject.children) and any(c.lower_ == "and" for c in subject.children):
        return True, False
    return False, False


def group_of(verb: Any, copula: bool = False) -> Group:
    """The verb group headed by ``verb`` (a spaCy token: the lexical verb, or "be" with
    an adjective when ``copula``)."""
    auxes = sorted((c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i),
                   key=lambda t: t.i)
    g = Group(tokens=[*auxes, verb])
    g.negated = any(c.dep_ == "neg" for c in verb.children)
    first = auxes[0] if auxes else verb
    span = range(first.i, verb.i)
    sent = verb.doc
    inside = {t.i for t in g.tokens}
    g.between = [sent[i] for i in span if i not in inside and sent[i].dep_ != "neg"]
    for a in auxes:
        low = a.lower_
        if a.tag_ == "MD" or low in _MODALS:
            g.modal = a.text
        elif a.tag_ == "TO" or low == "to":
            g.to = True
        elif a.lemma_ == "have":
            g.perfect = True
        elif a.lemma_ == "be":
            if a.dep_ == "auxpass":
                g.passive = True
                if low == "being":
                    g.progressive = True
            elif verb.tag_ == "VBG":
                g.progressive = True
    if verb.tag_ == "VBN" and not g.perfect and any(a.lemma_ == "be" for a in auxes):
        g.passive = True
    finite = g.tokens[0]  # the finite word, where there is no modal or "to"
    subject = _subject(verb)
    g.plural, g.first_person = _number(subject)
    if g.modal is None and not g.to:  # the finite word says the time, and the number
        g.past = finite.tag_ == "VBD" or finite.lower_ in ("was", "were", "had", "did")
        if finite is verb and verb.lower_ in SAME_IN_PAST and verb.tag_ in ("VBD", "VBP") and (
                g.plural or g.first_person or (subject is not None and subject.lower_ == "you")):
            g.past = _past_from_neighbours(verb, g.past)
        if not g.first_person and (finite.lower_ in ("are", "were", "have", "do") or finite.tag_ == "VBP"):
            g.plural = True  # the sentence's own verb says so ("Staff toilet him")
        elif finite.lower_ in ("is", "was", "has", "does"):
            g.plural = False  # and here: "Ms Rees is", though the tagger read "Rees" as plural
    if not auxes and verb.tag_ in ("VBG", "VBN", "VB") and not copula:
        # a gerund or participle ("Accessing the community helps", "children placed with
        # carers"), or a bare infinitive ("helps him access"): the same form, active
        g.bare = "VB" if verb.tag_ == "VB" else "VBG"
    return g


#: verbs whose past is their present: "the girls put themselves at risk" may be either
SAME_IN_PAST = frozenset("put let set cut hit hurt shut quit spread cost bet burst cast upset "
                         "split shed".split())


def _past_from_neighbours(verb: Any, tagged_past: bool) -> bool:
    """Whether "put" (after a plural subject, "I" or "you", where past and present look
    the same) is past: as the nearest other finite verb of its sentence is ("When they
    go to the park, the girls put..." is present); as the tagger read it where there is
    none ("Last year the girls put...")."""
    others = [t for t in verb.sent if t is not verb and t.tag_ in ("VBD", "VBZ", "VBP")
              and t.lower_ not in SAME_IN_PAST]
    if not others:
        return tagged_past
    nearest = min(others, key=lambda t: abs(t.i - verb.i))
    return nearest.tag_ == "VBD"


def bare_group(token: Any, tag: str) -> Group:
    """A one-word group from the matched word's own inflection, for a verb the tagger read
    as a noun ("Mrs Price mobilises with a frame", a heading in capitals)."""
    g = Group(tokens=[token])
    if tag == "VBD":
        g.past = True
    elif tag == "VBG":
        g.bare = "VBG"
    elif tag == "VBN":
        g.perfect = False
        g.bare = "VBG"
    g.plural = tag == "VBP"
    return g


def _be(tag: str, g: Group) -> str:
    if tag == "VBD":
        return "were" if g.plural else "was"
    if tag in ("VBZ", "VBP"):
        return "am" if g.first_person else ("are" if g.plural else "is")
    return {"VBN": "been", "VBG": "being", "VB": "be"}[tag]


def form(lemma: str, tag: str, g: Group) -> str:
    if lemma == "be":
        return _be(tag, g)
    if tag in ("VBZ", "VBP"):
        tag = "VBP" if g.plural or g.first_person else "VBZ"
    if lemma == "have" and tag == "VBP":
        return "have"
    return morph.verb_forms(lemma)[tag]


def conjugate(lemma: str, g: Group, negate: bool = False) -> list[str]:
    """The words of ``lemma`` put in the tense, aspect and person of ``g`` (active voice).

    A passive progressive ("are being placed") is a plan: "are going to live".
    """
    negate = negate != g.negated  # "did not fail to attend" -> "attended"
    if g.bare:
        word = form(lemma, g.bare, g)
        return ["not", word] if negate else [word]
    chain: list[str] = []
    lead: list[str] = []
    first_tag = "VBD" if g.past else "VBZ"
    if g.modal:
        lead, first_tag = [g.modal], "VB"
    elif g.to:
        lead, first_tag = ["to"], "VB"
    # ... but a passive put for a passive stays one: "was being used as a mule" -> "was
    # being criminally exploited"
    plan = g.passive and g.progressive and lemma != "be"
    if plan:
        chain.append("be")
    if g.perfect:
        chain.append("have")
    progressive = g.progressive and not plan and lemma not in STATIVE
    if lemma == "be" and g.perfect:
        progressive = False  # never "has been being"
    if progressive:
        chain.append("be")
    chain.append(lemma)
    words: list[str] = []
    for k, verb in enumerate(chain):
        if k == 0:
            tag = first_tag
        elif chain[k - 1] == "have":
            tag = "VBN"
        elif plan and k == 1:
            words += ["going", "to"]
            tag = "VB"
        else:
            tag = "VBG"
        words.append(form(verb, tag, g))
    if negate:
        if g.to:
            lead = ["not", "to"]
        elif lead:
            lead = [*lead, "not"]
        elif len(chain) > 1 or chain[0] == "be":
            words.insert(1, "not")
        else:  # do-support: "did not attend"
            words = [form("do", first_tag, g), "not", chain[0]]
    return lead + words
