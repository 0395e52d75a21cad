"""Conditions: when a candidate match is really the wording the rule is about.

Lexical conditions (quotation, mention, neighbouring words) need only the text index.
Syntactic ones (part of speech, dependency, the subject being a person) need the sentence
parsed by spaCy; the engine asks for that only for the candidates that need it.
"""

from __future__ import annotations

import re
from typing import Any

from ..analysis import mentions, senses
from ..analysis.text import TextIndex
from ..resources import wordlist_words
from .kinds import Candidate
from .model import START

_PERSON_PRONOUNS = frozenset("he she they him her them who whom".split())
_NOT_PERSON_PRONOUNS = frozenset("i we me us it this that which there you one".split())
_TITLES = frozenset("mr mrs ms miss mx".split())
#: names that are not people: "since March", "on Monday"
_CALENDAR = frozenset("january february march april may june july august september october "
                      "november december monday tuesday wednesday thursday friday saturday "
                      "sunday christmas easter".split())


def people() -> frozenset[str]:
    return wordlist_words("people")


def person_things() -> frozenset[str]:
    """Nouns for a person's own life ("the home", "her mood") that a label can describe."""
    return wordlist_words("person-things")


def not_people() -> frozenset[str]:
    return wordlist_words("not-people")


def _seq(words: list[str], seqs: tuple[tuple[str, ...], ...], at_end: bool) -> str:
    """The first of ``seqs`` that ``words`` ends (or starts) with, as text, or ''."""
    for s in seqs:
        part = tuple(words[len(words) - len(s):]) if at_end else tuple(words[: len(s)])
        if len(words) >= len(s) and part == s:
            return " ".join(s)
    return ""


#: why quoted words are left alone
QUOTED = "inside a quotation (the speaker's own words)"


def lexical_reason(c: Candidate, idx: TextIndex) -> str | None:
    """Conditions decided from the words around the match: ``None`` when the candidate
    stands, else why it does not (shown by ``--explain``)."""
    cond = c.rule.conditions
    if idx.in_address(c.start, c.end):
        return "inside a web or e-mail address"
    quoted = not cond.in_quotes and idx.in_quotes(c.start, c.end)
    if quoted and (c.first < 0 or c.rule.kind == "acronym" or c.rule.reported == "skip"):
        return QUOTED
    if c.first < 0:
        return None
    mention = mentions.mention_reason(idx, c.first, c.last, c.start, c.end)
    if mention:
        return mention
    if quoted:
        # somebody's own words, unless the parse shows a record's or a professional's label
        # quoted ("described as 'promiscuous'"): the engine decides (Engine._attribute)
        c.data["quoted"] = True
    if c.rule.kind != "acronym" and not cond.case_sensitive:
        name = mentions.proper_name(idx, c.first, c.last)
        if name:
            return f"part of the name '{name}'"
    window = cond.window
    if window:
        if cond.preceded_by or cond.not_preceded_by:
            before = idx.words_before(c.first, window)
            hit = cond.not_preceded_by and _seq(before, cond.not_preceded_by, True)
            if hit:
                return f"after '{hit}'"
            if not before and (START,) in cond.not_preceded_by and idx.is_sentence_start(c.start):
                return "at the start of a sentence"
            if cond.preceded_by and not _seq(before, cond.preceded_by, True) \
                    and not (not before and (START,) in cond.preceded_by
                             and idx.is_sentence_start(c.start)):
                return "not after any of the words the rule needs before it"
        if cond.followed_by or cond.not_followed_by:
            after = idx.words_after(c.last, window)
            hit = cond.not_followed_by and _seq(after, cond.not_followed_by, False)
            if hit:
                return f"before '{hit}'"
            if cond.followed_by and not _seq(after, cond.followed_by, False):
                return "not before any of the words the rule needs after it"
    return None


# -- syntax ---------------------------------------------------------------------------
def find_subject(token: Any, passive: bool = False) -> Any | None:
    """The grammatical subject governing ``token`` (a verb), climbing through
    ``xcomp`` and ``conj`` ("Mum wanted to refuse", "Dad came but refused").  A passive
    subject counts once we have climbed ("The family are known to be hard to reach"), or
    at once with ``passive`` (a participle used as an adjective: "Sam was agitated")."""
    t = token
    for _ in range(6):
        field = None
        for child in t.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and (passive or t is not token)):
                if child.tag_ in ("WP", "WDT") and t.dep_ == "relcl":
                    return t.head
                if _colon_between(child, t):
                    # "Noah's 8-week check: did not attend": a field and its entry, read as
                    # one clause; the subject after the colon ("Household: Ms Kaur
                    # resides"), else the field's person ("Noah"), is whom it is about
                    field = child
                    continue
                return child
            if child.dep_ in ("nsubjpass", "csubj", "csubjpass", "expl"):
                return None
        if field is not None:
            return next((w for w in field.subtree if w.dep_ == "poss" and w.pos_ in ("PROPN", "NOUN")), None)
        # "Leo (4) did not attend": the small model reads a name with its age in brackets
        # as an adverbial; a name that opens the clause before its verb is its subject
        for child in t.children:
            if child.dep_ == "npadvmod" and child.pos_ == "PROPN" and child.i < t.i \
                    and child.left_edge.i == child.sent.start:
                return child
        if t.dep_ in ("xcomp", "conj") and t.head.i != t.i:
            t = t.head
            continue
        if t.dep_ == "relcl":
            return t.head
        # "Mum disengaged from the service in May": the small model reads a sentence with
        # no other verb as a noun and a participle after it ("Mum [who was] disengaged"); the
        # noun it hangs on is the one the sentence is about
        if t.dep_ == "acl" and t.head.dep_ == "ROOT" and t.head.i < t.i \
                and t.head.pos_ in ("PROPN", "NOUN", "PRON") and t.tag_ in ("VBD", "VBN"):
            return t.head
        break
    return None


#: how a noun hangs on the word that governs it: as its subject or object, as the word
#: before it ("placement stability"), or through a preposition ("the breakdown of her
#: placement", "risk of disruption to his placement")
_GOVERNED = frozenset("nsubj nsubjpass dobj compound amod".split())


def governor(span: Any) -> Any | None:
    """The word that governs the matched words: the verb whose subject or object they
    are ("the placement ended"), the noun they stand before ("placement stability"), or
    the word a preposition attaches them to ("the breakdown of her placement"); a noun
    joined by "and" is governed by what governs the first one."""
    root = span.root
    for _ in range(3):
        if root.dep_ == "conj" and root.head.i != root.i:
            root = root.head
            continue
        break
    if root.dep_ in _GOVERNED and root.head.i != root.i:
        return root.head
    if root.dep_ == "pobj" and root.head.dep_ in ("prep", "agent") and root.head.head.i != root.head.i:
        return root.head.head
    return None


def has_object(span: Any) -> bool:
    """Whether the matched verb takes a direct object after the match ("failed to attend
    speech therapy") rather than nothing or an adverbial ("failed to attend twice")."""
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")] or [span.root]
    return any(child.dep_ in ("dobj", "obj") and child.i >= span.end for child in verbs[-1].children)


def _colon_between(subject: Any, verb: Any) -> bool:
    """Whether a colon stands between a subject and its verb, as between a record's field
    and its entry ("8-week check: did not attend"), which the parser reads as one clause."""
    lo, hi = sorted((subject.i, verb.i))
    return any(t.text == ":" for t in subject.doc[lo:hi])


def _titled(token: Any) -> bool:
    """A name with a title or a family word before it ("Aunt May", "Mrs April Jones")."""
    return any(c.dep_ == "compound" and (c.lower_.rstrip(".") in _TITLES or c.lower_ in people())
               for c in token.children)


def is_body(token: Any) -> bool:
    """Whether a word names a body or a thing, not a person ("the panel", "the GP surgery")."""
    return bool({token.lower_, token.lemma_.lower()} & not_people())


#: pronouns that count the people named before them ("both suffer from PTSD")
_PEOPLE_COUNTED = frozenset("both neither either each".split())


def is_person(token: Any) -> bool:
    """Whether a subject is one of the people the record is about."""
    lower = token.lower_
    if lower in _NOT_PERSON_PRONOUNS or (lower in _CALENDAR and not _titled(token)):
        return False
    if lower in _PEOPLE_COUNTED:
        # "both", "each of the dogs": the people or things counted, named after "of" or
        # before; unknown is not a person ("two dogs at the house; both are aggressive")
        of = next((g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                   for g in c.children if g.dep_ == "pobj"), None)
        earlier = of if of is not None else antecedent(token)
        return earlier is not None and is_person(earlier)
    if lower in ("they", "them"):
        earlier = antecedent(token)
        return True if earlier is None else is_person(earlier)
    if lower in _PERSON_PRONOUNS:
        return True
    compound = [c.lower_ for c in token.children if c.dep_ in ("compound", "amod")]
    phrase = " ".join(compound[-1:] + [token.lemma_.lower()])
    lemma = token.lemma_.lower()
    words = {lower, lemma, phrase} | set(compound)
    if words & not_people():
        return False
    if phrase in people() or lemma in people() or lower in people():
        return True
    if token.pos_ == "PROPN" or (compound and compound[0] in _TITLES):
        return True
    # a capitalised word with no article is a name the small model tagged as a noun
    # ("Harvey kicked off"): common nouns at the start of a sentence take an article
    has_det = any(c.dep_ in ("det", "poss") for c in token.children)
    return token.is_title and not has_det and token.pos_ in ("NOUN", "X")


def antecedent(pronoun: Any) -> Any | None:
    """Who "they" is, when the sentence said so before it: the subject of an earlier clause
    ("professionals were kept at a distance, and they failed to identify ..."), if it is a
    plural noun or a pair joined by "and".  ``None`` when nothing earlier qualifies."""
    for t in reversed(list(pronoun.sent[: pronoun.i - pronoun.sent.start])):
        if t.dep_ not in ("nsubj", "nsubjpass") or t.head.i == pronoun.head.i:
            continue
        if t.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in t.children):
            return t
        if t.lower_ in ("they", "them"):
            continue
        return None
    return None


_HE = frozenset("man boy son brother father dad uncle grandfather grandad nephew grandson husband mr".split())
_SHE = frozenset("woman girl daughter sister mother mum aunt grandmother grandma gran nan niece "
                 "granddaughter wife mrs ms miss".split())


def person_for(pronoun: Any) -> Any:
    """The person a "he", "she" or "they" most likely stands for: the nearest person named
    before it in the same sentence whose age can be told, and who is not of the other sex
    ("Jo's dad says she ..." is Jo), or the pronoun itself."""
    other = _SHE if pronoun.lower_ == "he" else _HE if pronoun.lower_ == "she" else frozenset()
    for t in reversed(pronoun.doc[:pronoun.i]):
        if t.pos_ in ("PROPN", "NOUN") and is_child(t) is not None and t.dep_ != "compound":
            if t.lower_ in other or any(w.lower_.rstrip(".") in other for w in t.lefts):
                continue
            return t
    return pronoun


_CHILD_WORDS = frozenset(
    "child children baby babies boy boys girl girls son sons daughter daughters infant infants "
    "toddler toddlers pupil pupils teenager teenagers teen teens kid kids youngster youngsters "
    "twins twin sibling siblings brother brothers sister sisters grandchild grandson "
    "granddaughter nephew niece student students learner learners".split()
)
_ADULT_WORDS = frozenset(
    "mum mother dad father parent parents mr mrs ms miss mx dr gran grandmother grandfather "
    "grandad grandma nan aunt uncle man woman adult adults carer carers partner husband wife "
    "tenant resident client".split()
)


def is_child(token: Any) -> bool | None:
    """Whether a subject is a child: ``True``, ``False`` (an adult), or ``None`` (cannot
    tell: "he", "they").  A first name alone is taken as a child's, as case notes name
    children by first name and adults by role or title ("Mum", "Ms Harte")."""
    lower, lemma = token.lower_, token.lemma_.lower()
    if lower in _CALENDAR:
        return None
    age = known_age(token)
    if age is not None:
        return age < 18
    words = {lower, lemma} | {c.lower_ for c in token.children if c.dep_ in ("compound", "amod", "poss")}
    if token.i > 0 and token.doc[token.i - 1].lower_.rstrip(".") in _TITLES:
        return False  # "Mr Hale", whatever the parser hung "Mr" on
    if lemma == "person" and "young" in words:  # "the young person"
        return True
    if words & _CHILD_WORDS:
        return True
    if words & _ADULT_WORDS or words & not_people():
        return False
    if token.pos_ == "PROPN" or (token.is_title and lower not in _PERSON_PRONOUNS
                                 and token.pos_ not in ("PRON", "DET")):  # not "This is ..."
        return True
    return None


#: from this age young people go to their own appointments: "was not brought" is for
#: children who depend on an adult to take them
GOES_ALONE = 16
#: under this age a child cannot consent to sex, in law (Sexual Offences Act 2003)
AGE_OF_CONSENT = 16


def is_young_child(token: Any) -> bool | None:
    """A child who depends on an adult to bring them: a child under 16, or of an age the
    sentence does not give; ``False`` for an adult or a 16- or 17-year-old."""
    age = known_age(token)
    return age < GOES_ALONE if age is not None else is_child(token)


#: an age the sentence gives for what it tells: "since she was 12", "from the age of 13"
_AGE_IN_SENTENCE = re.compile(
    r"(?i)\b(?:since|from|at|when|before)\s+(?:the\s+age\s+of|(?:she|he|they)\s+(?:was|were|turned))\s+(\d{1,2})\b")


def stated_under(token: Any, age: int) -> bool:
    """Whether the sentence says the person was under ``age``: beside them ("Tia (12)"),
    or for what it tells ("has been ... since she was 12")."""
    known = known_age(token)
    if known is not None:
        return known < age
    m = _AGE_IN_SENTENCE.search(token.sent.text)
    return m is not None and int(m.group(1)) < age


def known_age(token: Any) -> int | None:
    """The age in whole years given beside a person ("Ruby, 14,", "Ellie (14 months)",
    "Riley (aged 4)", "Tyler, who is 17,"), or None."""
    for c in token.children:
        if c.dep_ in ("appos", "npadvmod", "amod", "nummod") and c.like_num and c.text.isdigit():
            return int(c.text)
        age = _age(c)
        if age is not None:
            return age
    return None


def _age(c: Any) -> int | None:
    """An age given beside a name: "Ellie (14 months)" (0), "Riley (aged 4)", "Jayden,
    aged 6,", "Mr Cole, 45 years old", "Tyler, who is 17"."""
    if c.dep_ == "relcl" and c.lemma_ == "be":
        numbers = [n for n in c.children if n.dep_ in ("attr", "acomp") and n.text.isdigit()]
        return int(numbers[0].text) if numbers else None
    if c.dep_ not in ("appos", "acl", "amod", "npadvmod"):
        return None
    numbers = [n for n in c.subtree if n.like_num and n.text.isdigit()]
    if not numbers:
        return None
    unit = c.lemma_.lower()
    if unit in ("month", "week", "day"):
        return 0
    if unit in ("aged", "age", "year", "old") or c.lower_ == "aged":
        return int(numbers[0].text)
    return None


def matched_words(sent: Any, offset: int, c: Candidate) -> Any | None:
    """The candidate's words in its parsed sentence (``offset``: where the sentence starts
    in the text); None without a parse, or where the parser has no tokens for them."""
    if sent is None:
        return None
    span = sent.char_span(c.start - offset, c.end - offset, alignment_mode="expand")
    return span if span is not None and len(span) else None


def syntax_check(c: Candidate, sent: Any, offset: int) -> tuple[bool, str | None, str]:
    """Check part of speech, dependency and subject on the parsed sentence.

    Returns whether the candidate stands, the Penn tag of its head word, and the reason
    (shown by ``--explain``).
    """
    cond = c.rule.conditions
    span = matched_words(sent, offset, c)
    if span is None:
        return False, None, "the parser does not see these words as a unit"
    head = span.root
    why = []
    sense = None
    if cond.sense:
        sense, about = senses.SENSES[cond.sense](span.sent, span)
        if sense == "other":
            return False, None, about
        if sense == "this":
            why.append(about)
    if sense is None:
        if cond.pos and head.pos_ not in cond.pos:
            return False, None, f"'{head.text}' is {_POS_NAMES.get(head.pos_, head.pos_)} here"
        if cond.not_dep and head.dep_ in cond.not_dep:
            return False, None, f"'{head.text}' has the role {head.dep_} here"
        if cond.pos:
            why.append(f"'{head.text}' is {_POS_NAMES.get(head.pos_, head.pos_)}")
    if cond.not_object:
        obj = next((t for t in head.children if t.dep_ in ("dobj", "nsubjpass")), None)
        if obj is not None and obj.lemma_.lower() in cond.not_object:
            return False, None, f"its object '{obj.text}' is not a person's choice"
    if cond.objects:
        obj = next((t for t in head.children if t.dep_ == "dobj"), None)
        # the noun or the nouns before it ("her eye clinic follow-up", parsed as "up")
        named = obj is not None and any(w.lemma_.lower() in cond.objects or w.lower_ in cond.objects
                                        for w in [obj, *(c for c in obj.children if c.dep_ == "compound")])
        if not named:
            return False, None, (f"its object '{obj.text}' is none of the rule's" if obj is not None
                                 else "no object of the kind the rule needs")
        why.append(f"its object is '{obj.text}'")
    # a label ("was agitated"), not an act ("was refused"); but a phrase the pack writes as
    # a participle ("afflicted with") is passive as written: "Jade is afflicted with"
    passive = c.rule.inflect != "verb" or (
        c.tag is None and head.tag_ == "VBN" and head.i == span.start
        and any(w.dep_ == "auxpass" for w in head.children))
    if cond.subject in ("person", "child", "young-child"):
        ok, about = _subject_is_person(head, span, passive)
        if not ok:
            return False, None, about
        why.append(about)
    if cond.subject in ("child", "young-child"):
        ok, about = _subject_is_child(head, passive, young=cond.subject == "young-child")
        if not ok:
            return False, None, about
        why.append(about)
    return True, head.tag_, "; ".join(why)


_POS_NAMES = {"NOUN": "a noun", "PROPN": "a name", "VERB": "a verb", "AUX": "an auxiliary verb",
              "ADJ": "an adjective", "ADV": "an adverb", "ADP": "a preposition", "NUM": "a number",
              "PRON": "a pronoun", "DET": "a determiner", "X": "unknown"}


def _subject_is_child(head: Any, passive: bool, young: bool = False) -> tuple[bool, str]:
    """Whether the person is a child (or may be); an adult's own appointment is theirs,
    and so, with ``young``, is a 16- or 17-year-old's."""
    verb = head.head if head.pos_ == "ADJ" and head.dep_ in ("acomp", "xcomp") else head
    if verb.pos_ not in ("VERB", "AUX"):
        return True, "no subject to tell a child from an adult"
    subject = find_subject(verb, passive)
    if subject is None:
        return True, "no subject to tell a child from an adult"
    if subject.lower_ in ("he", "she"):
        subject = person_for(subject)  # "Mr Okoro, 42, says he is ..."
    child = is_young_child(subject) if young else is_child(subject)
    if child is False:
        return False, (f"subject '{subject.text}' goes to appointments alone (16 or over)"
                       if young and is_child(subject) else f"subject '{subject.text}' is an adult")
    return True, (f"subject '{subject.text}' is a child" if child else
                  f"subject '{subject.text}' may be a child")


def _personal(token: Any) -> bool:
    """A person, or a noun for a person's own life ("the home", "her mood")."""
    return is_person(token) or token.lemma_.lower() in person_things() or token.lower_ in person_things()


def _describes(noun: Any) -> tuple[bool, str]:
    """A label before or about a noun: whether that noun is a person or their life."""
    if _personal(noun):
        return True, f"describes '{noun.text}', a person or their life"
    return False, f"describes '{noun.text}', not a person or their life"


def _subject_is_person(head: Any, span: Any, passive: bool = False) -> tuple[bool, str]:
    """For a verb (or a predicate adjective: "Dad was hostile"), whether its subject is a
    person the record is about (or their home, mood or behaviour).  For an adjective before
    a noun ("a chaotic home", "feral cats"), whether that noun is.  Nouns ("failure to
    protect") have no subject to test.  Returns the verdict and its reason."""
    if head.pos_ == "CCONJ":  # "and placed": the verb it joins on
        head = next((t for t in span if t.pos_ in ("VERB", "AUX")), head)
    if head.pos_ == "ADJ" and span[-1].pos_ == "NOUN" and len(span) > 1:
        head = span[-1]  # "non-engagement" parsed as "non" + "engagement"
    while head.dep_ == "conj" and head.head.pos_ == "ADJ" and head.head.i < head.i \
            and head.pos_ in ("ADJ", "VERB") \
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
        # "presented as flat and disinterested" (the second often parsed as a verb): the
        # label stands where the first adjective does
        head = head.head
    verb = head
    if head.pos_ == "ADJ" and head.dep_ in ("amod", "pobj") and head.head.lower_ in ("as", "like"):
        # "described Dad as aggressive": the label is of the verb's object
        objects = [c for c in head.head.head.children if c.dep_ in ("dobj", "nsubjpass")]
        if objects:
            return _describes(objects[0])
        if head.head.head.pos_ in ("VERB", "AUX"):
            # "the mother presents as manipulative", "came across as hostile": the label
            # is of the verb's subject
            verb, head = head.head.head, head.head.head
    if head.pos_ == "ADJ" and head.dep_ == "amod" and head.head.i != head.i:
        return _describes(head.head)
    if head.pos_ == "ADJ" and head.dep_ in ("acomp", "xcomp"):
        verb = head.head
    elif head.pos_ == "ADP" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        verb = head.head  # a phrase after "be": "the fire was out of control", "Mum is in denial"
    elif head.pos_ == "ADV" and head.dep_ == "advmod" and head.head.pos_ in ("VERB", "AUX") \
            and not any(c.dep_ in ("auxpass", "nsubjpass") for c in head.head.children):
        verb = head.head  # how something was done: "the fire spread aggressively"
    elif head.pos_ not in ("VERB", "AUX"):
        # whose it is: a possessive before the words (the parser may hang it on any of
        # them: "the local authority's non-compliance"), or a body named after "of"
        # ("the non-attendance of the GP")
        owner = next((c for t in span for c in t.children if c.dep_ == "poss" and c.i < span.start), None)
        if owner is not None:
            if owner.lower_ not in _PERSON_PRONOUNS | {"his", "their"} and not _personal(owner):
                return False, f"about '{owner.text}', not a person the record is about"
            return True, "a noun: no subject to test"
        body = next((g for t in span for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                     and c.i >= span.end for g in c.children if g.dep_ == "pobj"), None)
        if body is not None and is_body(body):
            return False, f"about '{body.text}', not a person the record is about"
        return True, "a noun: no subject to test"
    subject = find_subject(verb, passive)
    if subject is None and verb.tag_ == "VBG" and verb.dep_ in ("pcomp", "pobj", "acl"):
        # "has a history of being noncompliant": whoever has the history
        subject = next((s for a in verb.ancestors
                        if a.pos_ in ("VERB", "AUX") and (s := find_subject(a, passive)) is not None), None)
    if subject is None and any(c.dep_ == "expl" for c in verb.children):
        return True, "'there is': no subject to test"
    if subject is None:
        # "Refused to let me in." (a case-note fragment): the person is implied
        if verb.i == span.sent.start and verb.tag_ in ("VBD", "VBZ"):
            return True, "a note with the person understood"
        return False, "no subject that is a person"
    if _personal(subject):
        return True, f"subject '{subject.text}' is a person or their life"
    return False, f"subject '{subject.text}' is not a person the record is about"
