"""A rule's suggestion template rendered into the sentence it is offered for.

Templates are written by rule authors in the base form:

- plain words are a drop-in replacement for the matched words: ``because``;
- ``{home}`` takes the form of the matched word ("homes" for "placements", "declined"
  for "refused"); ``{family time|family time sessions}`` gives the singular or plural
  wording whole;
- ``<live> with`` conjugates a verb into the matched verb group: "is placed with" ->
  "lives with", "had been placed with" -> "had lived with"; ``<not attend>`` negates it:
  "failed to attend" -> "did not attend", "have failed to attend" -> "have not attended".
  With an adjective or a noun after "be" ("is wheelchair-bound", "is a heroin addict"),
  the group is the verb "be": ``<use> a wheelchair`` -> "uses a wheelchair"; a verb
  that should stay progressive is written with "be": ``<not be> taking`` -> "has not
  been taking";
- ``{match}``, ``{expansion}``, ``{term}`` and ``{gloss}`` fill in the matched words and
  an acronym's expansion; ``{object}`` the matched words after their first preposition
  ("exposed to [domestic abuse]"): ``<experience> {object}``;
- ``{compound}`` is the nouns before the matched words that say what they are ("an [MS]
  sufferer"): the rewrite takes them in, ``{person with {compound}|people with
  {compound}}`` -> "a person with MS".  No such nouns, no fit;
- ``{name}`` is the name the matched words stand before, in apposition ("the subject
  child, Poppy,"): the rewrite is the name alone.  No name, no fit;
- ``{=who}`` is the words of a pattern rule's token named ``who`` (``{POS: PROPN, name:
  who}``): "Mum allowed Dad back into" + ``{=who} moved back {=into}`` -> "Dad moved back
  into".  A name the match did not fill, no fit;
- ``{noun}`` is the person the matched words describe, named after them ("a schizophrenic
  man"): the wording goes after the noun, braces take its number: ``{noun} {with a
  learning disability|with learning disabilities}`` -> "a man with a learning
  disability", "adults with learning disabilities".  No such noun, no fit.

The rendered words then take the casing of the words they replace (ALL CAPS, Title
Case, Capitalised), an "a" or "an" before them is chosen again, a plural possessive
("care leavers' forum") keeps its "'s", and a hyphenated modifier stays hyphenated.
A rewrite covers exactly the words it changes, which may reach back over auxiliaries
("is placed" -> "lives").  A template that cannot fit the slot (a verb for a noun)
renders as ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .. import lazyre
from ..analysis import morph
from ..analysis.text import line_around
from ..resources import wordlist_words
from . import casing, verbs

_BRACED = lazyre.compile(r"\{([^{}]+)\}")
_VERB = lazyre.compile(r"<\s*(not\s+)?([a-z]+(?:-[a-z]+)?)((?:\s+[a-z]+)*)\s*>")
_ARTICLE_BEFORE = lazyre.compile(r"(?:^|(?<=[\s(\"'“‘]))(a|an|A|An|AN)\s+\Z")
_INFLECTING = ("VBZ", "VBD", "VBN", "VBG", "NNS")


@dataclass(frozen=True)
class Rewrite:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str
    #: a verb of state put for a progressive ("has been suffering" -> "has had"): the
    #: sentence loses its "going on now", so a suggestion that keeps it is offered first
    aspect_lost: bool = False

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end:]


@dataclass
class Slot:
    """Where a suggestion goes: the document text, the matched span, and what is known of
    it (the inflection tag, an acronym's expansion, the parsed sentence)."""

    text: str
    start: int
    end: int
    tag: str | None = None
    expansion: str | None = None
    sentence: Any = None  # the spaCy Doc of the sentence, when parsed
    offset: int = 0  # where that sentence starts in ``text``
    sentence_start: bool = False
    case_sensitive: bool = False
    own_capitals: bool = False  # the matched words' capitals are their own (a name, an acronym)
    #: what ``{their}`` stands for: "her", "his", "their", "" (nobody's), None (unknown)
    owner: str | None = None
    #: the words of a pattern's named tokens (``name: who``), for ``{=who}``
    groups: dict[str, str] = field(default_factory=dict)


def _split_gloss(expansion: str) -> tuple[str, str]:
    """``"cognitive behavioural therapy (a talking therapy)"`` -> the term and its gloss."""
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", expansion)
    return (m.group(1), m.group(2)) if m else (expansion, "")


def fill(template: str, match: str, expansion: str | None) -> str:
    term, gloss = _split_gloss(expansion or "")
    return (template.replace("{match}", match).replace("{expansion}", expansion or "")
            .replace("{term}", term).replace("{gloss}", f", {gloss}" if gloss else ""))


def _braces(s: str, tag: str | None) -> str:
    def one(m: re.Match[str]) -> str:
        inner = m.group(1)
        if "|" in inner:
            single, many = (p.strip() for p in inner.split("|", 1))
            return many if tag == "NNS" else single
        return morph.inflect(inner, tag) if tag in _INFLECTING else inner

    return _BRACED.sub(one, s)


#: words before a noun that a described person ("person who uses drugs") cannot take
_BEFORE_A_DESCRIPTION = lazyre.compile(
    r"(?i)\b(?:former|ex|known|self-confessed|recovering|reformed)[\s-]+\Z")


_GROUP = lazyre.compile(r"\{=([a-z]+)\}")
#: an object pronoun a rewrite makes the subject ("let [him] back" -> "[he] moved back")
_SUBJECT_FORM = {"him": "he", "her": "she", "them": "they"}


def _groups(template: str, groups: dict[str, str]) -> str | None:
    """``{=who}``: the words the pattern's token named ``who`` matched; a pronoun that
    opens the template becomes its subject.  A name the match did not fill, no fit."""
    if any(m.group(1) not in groups for m in _GROUP.finditer(template)):
        return None

    def one(m: re.Match[str]) -> str:
        words = groups[m.group(1)]
        return _SUBJECT_FORM.get(words.lower(), words) if m.start() == 0 else words

    return _GROUP.sub(one, template)


def render(template: str, slot: Slot) -> Rewrite | None:
    """The rewrite ``template`` gives in ``slot``, or None where it does not fit."""
    match = slot.text[slot.start:slot.end]
    if "{=" in template:
        template = _groups(template, slot.groups)
        if template is None:
            return None
    if "{object}" in template:
        # what the matched verb is done to: "exposed to [high levels of domestic abuse]"
        obj = re.search(r"(?i)\b(?:to|of|with|from)\s+(\S.*)\Z", match)
        if obj is None:
            return None
        template = template.replace("{object}", obj.group(1))
    if "{compound}" in template:
        # "an MS sufferer": the words before the match that name what it is ("MS") are
        # rewritten with it
        start = _compound_start(slot)
        if start is None:
            return None
        named = slot.text[start:slot.start].strip()
        if _opens_a_sentence(slot.text, start) and re.fullmatch(r"[A-Z][a-z]+(?:\s+[a-z]+)*", named):
            named = named[0].lower() + named[1:]  # "Lupus sufferers" ("Parkinson's" keeps it)
        template = template.replace("{compound}", named)
        slot = replace(slot, start=start, own_capitals=True,  # "AIDS" is cased as its own
                       sentence_start=_opens_a_sentence(slot.text, start))
    wider_end = None  # where a rewrite taking in words after the match ends
    if "{clause}" in template:
        # "in the event of Mum becoming unwell" -> "if Mum becomes unwell"
        clause = _finite_clause(slot)
        if clause is None:
            return None
        template, wider_end = template.replace("{clause}", clause[0]), clause[1]
    if "{name}" in template:
        # "the subject child, Poppy, should" -> "Poppy should"
        named = _name_after(slot)
        if named is None:
            return None
        template, wider_end = template.replace("{name}", named[0]), named[1]
    if "{owner}" in template:
        # "Noah's non-attendance at nursery" -> "Noah not being brought to nursery": the
        # possessor before the match becomes the subject of the "-ing" words; none, none
        owned = _OWNER_BEFORE.search(slot.text, max(0, slot.start - 60), slot.start)
        if owned is None:
            template = template.replace("{owner} ", "").replace("{owner}", "")
        else:
            group = owned.lastindex  # the name's group, or the pronoun's
            who = owned.group(group)
            template = template.replace("{owner}", _OBJECT_FORM.get(who.lower(), who))
            slot = replace(slot, start=owned.start(group), own_capitals=True,
                           sentence_start=_opens_a_sentence(slot.text, owned.start(group)))
    if "{named}" in template:
        # "Mrs Rossi was visited at home. The client has asked ..." -> "Mrs Rossi has
        # asked": the one person named by title just before, in the same paragraph
        named = _named_before(slot)
        if named is None:
            return None
        template = template.replace("{named}", named)
    noun = None
    if "{noun}" in template:
        noun = _person_after(slot)
        if noun is None:
            return None
        template = template.replace("{noun}", noun[0])
    s = fill(template, match, slot.expansion)
    if "{their}" in s:
        if slot.owner is None:
            return None
        s = re.sub(r"\{their\}\s*", slot.owner + " " if slot.owner else "", s)
    before = slot.text[max(0, slot.start - 20):slot.start]
    if " " in s.strip() and before.endswith("-") and before[-2:-1].isalpha():
        return None  # "ex-addicts": several words cannot follow a prefix's hyphen
    if _BEFORE_A_DESCRIPTION.search(before) and re.search(r"\b(?:who|with|in)\b", s):
        return None  # "a former drug abuser" is not "a former person who uses drugs"
    if re.match(r"(?i)(?:person|people|someone)\b", s) and _compounds_before(slot):
        return None  # "a heroin addict in recovery" is not "a heroin person in recovery"
    if re.search(r"\bwho\b", casing.PLACEHOLDER.sub("", s)) \
            and re.match(r"\s+(?:who|which|that)\b", slot.text[slot.end:slot.end + 8]):
        return None  # "a teenager who is struggling who loves boxing": one "who" too many
    verb = _VERB.search(s)
    if verb:
        # the words after the verb take the noun's number; the verb's place is unchanged
        s = s[:verb.end()] + _braces(s[verb.end():], slot.tag if slot.tag in ("NN", "NNS") else None)
        appositive = _appositive(slot)
        rewrite = (_relative_rewrite(s, verb, slot, appositive) if appositive is not None
                   else _verb_rewrite(s, verb, slot))
        if rewrite is None:
            return None
    elif wider_end is not None:
        rewrite = Rewrite(slot.start, wider_end, s)
    elif noun is not None:
        s = _braces(s, "NNS" if noun[1] else "NN")
        # one known person after a possessive ("Mum's brother, who has schizophrenia,");
        # many are a group the words pick out ("our tenants with learning disabilities")
        if not noun[1] and _POSSESSOR.search(slot.text[max(0, slot.start - 12):slot.start]):
            s = _known_person(s, noun, slot)
            if s is None:
                return None
        rewrite = Rewrite(slot.start, noun[2], s)
    else:
        plain = Rewrite(slot.start, slot.end, _braces(s, _participle_or_past(slot)))
        rewrite = _the_body(_role_before_noun(plain, slot), slot)
    rewrite = _particle(rewrite, slot.text)
    rewrite = _no_adverb_before_not(rewrite, slot.text)
    rewrite = _cased(rewrite, slot)
    rewrite = _article(rewrite, slot.text)
    possessive = _possessive(rewrite, slot.text)
    if possessive is None or _adjunct_cannot_take(possessive, slot) or \
            _label_cannot_take(possessive, slot) or _drops_the_doer(possessive, slot) or \
            _says_it_twice(possessive, slot.text):
        return None
    return _hyphenated(possessive, slot)


#: the last word of a body's name: written out, the body takes "the" ("referred to MARAC"
#: -> "referred to the Multi-Agency Risk Assessment Conference"); "Services" often goes without
#: ("a referral to Child and Adolescent Mental Health Services")
_BODY = lazyre.compile(r"(?i)\b(?:conference|hub|team|panel|board|unit|agency|"
                   r"partnership|commission|forum|programme|centre|clinic|"
                   # a person known by their role ("MGM has offered" -> "The maternal
                   # grandmother has offered", "SW visited" -> "The social worker visited")
                   r"grandmother|grandfather|grandparents?|officer|worker|manager)\Z")
#: what may follow a body's name used on its own: an end, a preposition, a conjunction, a verb
_AFTER_A_NAME = lazyre.compile(r"(?i)\s*(?:[.,;:!?)]|\Z|(?:on|at|in|for|to|and|or|with|about|by|from|"
                           r"after|before|since|until|because|but|as|when|where|so|then|"
                           r"yesterday|today|last|this|next|is|are|was|were|has|have|had|will|"
                           r"would|can|could|should|may|might|must|did|does|do|said|says|told|"
                           r"thinks|thought|feels|felt|[a-z]+ed)\b)")
#: what ends a heading's name: a colon or the end of the line
_HEADING_END = lazyre.compile(r"[ \t]*(?::|\n|\Z)")
_DETERMINED = lazyre.compile(
    r"(?i)(?:\b(?:the|a|an|this|that|his|her|their|its|our|your|my|no|any|each)|['’]s?)\s+\Z")


def _the_body(r: Rewrite, slot: Slot) -> Rewrite:
    """An acronym that names a body, used as a name ("discussed at MARAC"), is written out
    with "the" ("at the Multi-Agency Risk Assessment Conference")."""
    term = _split_gloss(slot.expansion)[0] if slot.expansion else ""
    opens = _opens_a_sentence(slot.text, r.start)
    if not _BODY.search(term) or r.start != slot.start or not r.replacement.startswith(term[:1]) \
            or _DETERMINED.search(slot.text[max(0, r.start - 12):r.start]) \
            or (opens and _HEADING_END.match(slot.text, r.end)):
        return r
    # the subject of a sentence ("MGM collects the children"), or a name with nothing after
    # it in its phrase ("referred to MARAC after ...")
    subject = opens and re.match(r"[ \t]+[a-z]", slot.text[r.end:r.end + 2])
    if not subject and not _AFTER_A_NAME.match(slot.text, r.end):
        return r
    return replace(r, replacement="the " + r.replacement)


#: the noun after the matched words, maybe "young man" or "young people"
_PERSON_AFTER = lazyre.compile(r"[ \t]+((?:young[ \t]+)?([A-Za-z]+))(?![\w'’-])")
#: a possessive before the matched words: "Mum's brother" is one known person, whom "with"
#: would seem to pick out from others ("Mum's brother with schizophrenia"): a clause
#: between commas says it of him ("Mum's brother, who has schizophrenia,")
_POSSESSOR = lazyre.compile(r"(?i)(?:['’]s?|\b(?:my|your|his|her|their|our))[ \t]+\Z")


def _person_after(slot: Slot) -> tuple[str, bool, int] | None:
    """The person noun the matched words stand before ("a schizophrenic [man]"): its text,
    whether it is plural, and where it ends; None where no such noun follows."""
    m = _PERSON_AFTER.match(slot.text, slot.end)
    if m is None:
        return None
    plural = _people_plural(m.group(2))
    return None if plural is None else (m.group(1), plural, m.end())


def _people_plural(word: str) -> bool | None:
    """Whether a noun for people is plural ("adults", "people"); None for a noun that is
    not one (see wordlists/people.txt)."""
    lower = word.lower()
    single = morph.singular(lower)
    if single not in wordlist_words("people"):
        return None
    return single != lower or lower == "people"


#: a possessor just before the matched words: "Noah's", "the baby's", "his"
_OWNER_BEFORE = lazyre.compile(r"(?:(?<![\w'’-])((?:the\s+)?[A-Za-z][\w-]*)['’]s"
                           r"|(?<![\w'’-])(his|her|their|your|my))[ \t]+\Z")
#: the subject of an "-ing" clause is the object form of a possessive pronoun
_OBJECT_FORM = {"his": "him", "her": "her", "their": "them", "your": "you", "my": "me"}


#: adverbs of repetition that cannot stand before "not" ("has consistently not taken up"):
#: the negated wording says it without them ("has not taken up")
_REPEATED = lazyre.compile(r"(?i)(?<![\w'’-])(?:consistently|repeatedly|persistently|continually|"
                       r"continuously|constantly|routinely|regularly)[ \t]+\Z")
_NEGATED = lazyre.compile(r"(?i)(?:not|will not|would not|does not|do not|did not|has not|have not)\b")
_BE_NOT = lazyre.compile(r"(?i)(is|are|was|were)(?= not\b)")


def _no_adverb_before_not(r: Rewrite, text: str) -> Rewrite:
    """"Ms Heron has consistently failed to engage" -> "has not taken up", not "has
    consistently not taken up": an adverb of repetition before a negated rewrite goes.
    After "be" it keeps its place in the verb group: "Jayden regularly misses his
    sessions" -> "Jayden is regularly not brought to his sessions"."""
    be = _BE_NOT.match(r.replacement)
    if be is None and not _NEGATED.match(r.replacement):
        return r
    adverb = _REPEATED.search(text, max(0, r.start - 20), r.start)
    if adverb is None:
        return r
    if be is None:
        return replace(r, start=adverb.start())
    return replace(r, start=adverb.start(),
                   replacement=f"{be.group(1)} {adverb.group().strip()}{r.replacement[be.end(1):]}")


#: a person named with a title: "Mr Brennan", "Mrs Rossi" (a possessive "'s" is not the name's)
_TITLED = lazyre.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?[ \t]+[A-Z][a-z]+(?:[-'’][A-Z][a-z]+)?(?![\w-])")


def _named_before(slot: Slot) -> str | None:
    """The one person named with a title before the matched words in their paragraph (up
    to 300 characters back); None when nobody is, or more than one person is."""
    start = max(slot.text.rfind("\n", 0, slot.start) + 1, slot.start - 300)
    names = {" ".join(m.group().replace(".", "").split())
             for m in _TITLED.finditer(slot.text, start, slot.start)}
    return names.pop() if len(names) == 1 else None


#: a name in apposition after the matched words: ", Poppy," or " Poppy"
_NAME_AFTER = lazyre.compile(r"(,?)[ \t]+([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
                         r"(?:[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)?)(?![\w'’-])(,?)")
#: capitalised words that are not a child's name
_NOT_A_NAME = frozenset("""the this that these those he she it they we you i his her their our
    my your mum dad mother father nan gran grandma grandad grandmother grandfather and but
    however who which although since when while because so then also aged age""".split())


def _name_after(slot: Slot) -> tuple[str, int] | None:
    """The name the matched words are followed by in apposition ("the subject child,
    Poppy,"), and where the apposition ends; None where no name follows."""
    m = _NAME_AFTER.match(slot.text, slot.end)
    if m is None or m.group(2).split()[0].lower() in _NOT_A_NAME:
        return None
    if m.group(1) and not m.group(3) and not re.match(r"\s*(?:[.;:!?)]|\Z)", slot.text[m.end():]):
        return None  # ", Poppy and her brother": not a name between commas
    if not m.group(1) and m.group(3):
        return m.group(2), m.end(2)  # "the subject child Poppy, who": the comma is the sentence's
    return m.group(2), m.end()


#: a person and what they might do, after "in the event of": "Mum becoming", "the
#: children's father being", "Ms Khan's partner leaving"
_GERUND_CLAUSE = lazyre.compile(
    r"[ \t]+((?:(?:the|his|her|their|your|my|our)[ \t]+)?(?:[A-Z][\w'’-]*[ \t]+){0,2}"
    r"(?:[a-z]+['’]s[ \t]+)?([A-Za-z]+))[ \t]+([a-z]+ing)\b")
_PLURAL_PEOPLE = frozenset("children parents carers grandparents they we you both".split())


def _finite_clause(slot: Slot) -> tuple[str, int] | None:
    """The person and the "-ing" verb after the match, as a clause ("Mum becoming" ->
    "Mum becomes"), and where they end; None where the words after are not that."""
    m = _GERUND_CLAUSE.match(slot.text, slot.end)
    if m is None:
        return None
    # the verb's own form from the tagger: the sentence's parse, or (rare words: the
    # model is loaded only for them) a parse of the rest of the line
    doc, offset = slot.sentence, slot.offset
    if doc is None or offset + len(doc.text) < m.end():
        from ..analysis import nlp

        line_end = slot.text.find("\n", m.end())
        doc = nlp.parse([slot.text[slot.start:line_end if line_end >= 0 else len(slot.text)]])[0]
        offset = slot.start
    ing = next((t for t in doc if t.idx == m.start(3) - offset), None)
    if ing is None or ing.tag_ != "VBG":
        return None
    lemma = ing.lemma_.lower()
    many = m.group(2).lower() in _PLURAL_PEOPLE or bool(_people_plural(m.group(2)))
    verb = ("are" if lemma == "be" else lemma) if many else morph.third_person(lemma)
    return f"{m.group(1)} {verb}", m.end()


def _known_person(s: str, noun: tuple[str, bool, int], slot: Slot) -> str | None:
    """"father with schizophrenia" said of a known person ("Her schizophrenic father
    lives ..."): "father, who has schizophrenia," (a condition goes on: "has", whatever
    the tense of the story around it)."""
    m = re.fullmatch(r"(.+?) with (.+)", s)
    if m is None:
        return None
    have = "have" if noun[1] else "has"
    after = slot.text[noun[2]:noun[2] + 1]
    return f"{m.group(1)}, who {have} {m.group(2)}" + ("" if after in ",.;:!?)" or not after else ",")


#: an acronym that names a person's role ("Local Authority Designated Officer")
_ROLE = lazyre.compile(
    r"(?i)\b(?:officer|worker|visitor|advis[eo]r|manager|lead|co-?ordinator|advocate|nurse|guardian|"
    r"professional|practitioner|midwife|therapist|psychologist|psychiatrist|paediatrician|teacher|mentor)\Z")
#: nouns such a role modifies ("a LADO referral"), with the word that ties them to the role
#: once the role is written out after them ("a referral to the Local Authority ...")
_ROLE_NOUNS = {
    **dict.fromkeys(("referral", "referrals"), "to"),
    **dict.fromkeys(("meeting", "meetings", "consultation", "consultations", "session", "sessions",
                     "appointment", "appointments"), "with"),
    **dict.fromkeys(("visit", "visits", "report", "reports", "advice", "input", "support"), "from"),
    **dict.fromkeys(("assessment", "assessments"), "by"),
}
_NEXT_NOUN = lazyre.compile(r"[ \t]+([a-z]+)(?![\w'’-])")


def _role_before_noun(r: Rewrite, slot: Slot) -> Rewrite:
    """A role's written-out name cannot modify a noun ("a Local Authority Designated
    Officer referral"): the noun goes first ("a referral to the Local Authority Designated
    Officer", "the visit from the Independent Reviewing Officer")."""
    if slot.expansion is None or not _ROLE.search(_split_gloss(slot.expansion)[0]):
        return r
    following = _NEXT_NOUN.match(slot.text, r.end)
    if following is None or following.group(1) not in _ROLE_NOUNS or "(" in r.replacement[:-1]:
        return r
    noun = following.group(1)
    return Rewrite(r.start, following.end(), f"{noun} {_ROLE_NOUNS[noun]} the {r.replacement}")


#: what follows a noun inside its phrase ("people we support", "time with brothers"): such
#: words cannot stand before another noun as its modifier
TRAILING = lazyre.compile(r"(?i)\b(?:at|of|with|who|which|that|in|on|from|for|we|they|you|to)\b")


_LAST_PREPOSITION = lazyre.compile(r"(?i)\b(with)\s+[^,;()]*\Z")
_NEXT_WORD = lazyre.compile(r"[ \t]+([^\W\d_]+)")


def _says_it_twice(r: Rewrite, text: str) -> bool:
    """New words that end in a "with" phrase where the sentence goes on with its own
    ("sibling contact with his two sisters" + "family time with brothers and sisters"):
    "with ... with" says who twice."""
    last = _LAST_PREPOSITION.search(r.replacement)
    following = _NEXT_WORD.match(text, r.end)
    return bool(last and following and following.group(1).lower() == last.group(1).lower())


_BE = lazyre.compile(r"(?i)\b(?:be|been|being|is|are|was|were|am)\b")


def _drops_the_doer(r: Rewrite, slot: Slot) -> bool:
    """Passive words with their doer named ("were placed in foster care by the local
    authority") put into the active ("went to live") leave "by the local authority"
    with nothing to attach to."""
    toks = _matched_tokens(slot)
    aux = next((t for t in toks if t.dep_ == "auxpass"), None)
    return aux is not None and not _BE.search(r.replacement) and _doer_after(aux.head, slot)


def _doer_after(verb: Any, slot: Slot) -> bool:
    """Whether ``verb`` names its doer ("by the local authority") after the match."""
    return any(c.dep_ == "agent" and c.idx + slot.offset >= slot.end for c in verb.children)


#: a heading that is a phrase already: a preposition written small ("Group for ...")
_PHRASAL_TITLE = lazyre.compile(r"(?<=[A-Za-z] )(?:for|of|with|to|from|about|in|on|at|by)(?=\s|\Z)")


def _label_cannot_take(r: Rewrite, slot: Slot) -> bool:
    """A heading or a form's field name ("Sibling Contact:", "PLAN GOING FORWARD") is a
    short label; wording with a phrase of its own ("Family Time with Brothers and
    Sisters", "In Future") does not keep it one."""
    original = slot.text[r.start:r.end]
    if not TRAILING.search(r.replacement) or TRAILING.search(original) or "[" in r.replacement \
            or (slot.expansion and r.replacement.upper().startswith(slot.expansion.upper())):
        return False  # a name written out ("CHILD IN NEED REVIEW") is still one label
    line_start, line = line_around(slot.text, r.start, r.end)
    colon = line.find(":")
    if 0 <= colon and r.end - line_start <= colon and len(line[:colon].split()) <= 6 \
            and not re.search(r"[.!?;]", line[:colon]):
        return True  # the name of a field
    words = casing.WORD.findall(line)
    if not words or len(words) > 8 or line.rstrip().endswith((".", "!", "?", ";")):
        return False
    rest = line[:r.start - line_start] + " " + line[r.end - line_start:]
    if _PHRASAL_TITLE.search(rest):
        return False  # a title with a phrase of its own ("Support Group for Dementia Sufferers")
    long_words = [w for w in words if len(w) >= 4]
    return line.upper() == line or all(w[0].isupper() for w in long_words)


#: a person described in more than one word ("unaccompanied child") does not modify a noun:
#: "the UASC team" is not "the unaccompanied child team"
_ENDS_IN_PERSON = lazyre.compile(
    r"\w\s+(?:child|children|person|people|adult|adults|man|men|woman|women)[\s}]*\Z", re.IGNORECASE)


def may_not_modify(words: str) -> bool:
    """Whether wording may fail to stand before a noun as its modifier (see above)."""
    return bool(TRAILING.search(words) or _ENDS_IN_PERSON.search(words))


def _adjunct_cannot_take(r: Rewrite, slot: Slot) -> bool:
    """The matched words modify the noun after them ("SERVICE USER NAME", "service user
    group"), and the new words end in a phrase of their own ("person we support"), or in a
    person described in several words ("unaccompanied child"), which cannot sit there
    ("PERSON WE SUPPORT NAME", "the unaccompanied child team")."""
    if "[" in r.replacement or not may_not_modify(r.replacement):
        return False
    toks = _matched_tokens(slot)
    if not toks:
        return False
    last = toks[-1]
    # a noun before a noun; an adjective ("the disabled find work", misread as one phrase)
    # only with wording that cannot end a phrase
    roles = ("compound", "amod", "nmod") if TRAILING.search(r.replacement) else ("compound", "nmod")
    return (last.dep_ in roles and last.head.i > last.i
            and last.head.idx + slot.offset >= r.end and last.head.pos_ in ("NOUN", "PROPN"))


#: nouns before "sufferer" that are not what is suffered
_NOT_CONDITIONS = frozenset("fellow lifelong lifetime long-time longtime chronic".split())


def _compound_start(slot: Slot) -> int | None:
    """Where the nouns before the matched words that name what they are begin ("an [MS]
    sufferer", "[motor neurone disease] sufferers"), or None where there are none."""
    firsts = [c.left_edge for c in _compounds_before(slot)]
    if not firsts:
        return None
    first = min(firsts, key=lambda t: t.i)
    words = first.doc[first.i:_matched_tokens(slot)[0].i]
    if any(t.pos_ not in ("NOUN", "PROPN") or t.lower_ in _NOT_CONDITIONS for t in words):
        return None  # "a fellow sufferer", "a long-time sufferer"
    return first.idx + slot.offset


def _compounds_before(slot: Slot) -> list[Any]:
    """The nouns before the matched words that are part of their noun ("a [heroin] addict
    in recovery" matched from "addict", "an [MS] sufferer")."""
    return [c for t in _matched_tokens(slot) for c in t.children
            if c.dep_ == "compound" and c.idx + slot.offset < slot.start]


# -- verbs ------------------------------------------------------------------------------
def _verb_slot(slot: Slot, places: bool = False) -> tuple[Any, bool] | None:
    """The verb whose group a ``<verb>`` template replaces, and whether it is "be" with an
    adjective or a noun after it ("is wheelchair-bound", "is a heroin addict")."""
    if slot.sentence is None:
        return None
    s = slot.start - slot.offset
    toks = _matched_tokens(slot)
    for t in toks:  # "is wheelchair-bound": a participle used as an adjective after "be"
        if t.dep_ in ("acomp", "attr") and t.head.lemma_ == "be" and t.head.i < t.i and \
                not any(u.tag_.startswith("VB") and u.dep_ not in ("acomp", "attr") for u in toks):
            # the words a hyphen splits ("an ex - addict who") are each read as the noun
            if t.dep_ == "attr" and any(_modified_after(u, slot, places=places)
                                        for u in toks if u.dep_ == "attr"):
                return None  # "is a dementia patient on ward 3": "has dementia" cannot take "on ward 3"
            return t.head, t.dep_ == "acomp"
    nouns = slot.tag in ("NN", "NNS", "NNP", "NNPS")  # a verb only as "be" + the noun
    for t in toks:
        if not nouns and (t.tag_.startswith("VB") or t.pos_ in ("VERB", "AUX")) \
                and t.dep_ not in ("amod", "compound"):  # "a recovering addict": a modifier
            if t.dep_ in ("aux", "auxpass") and t.head.i > t.i:
                t = t.head
            complements = [c for c in t.children if c.dep_ in ("acomp", "attr") and c.idx >= s]
            if t.lemma_ == "be" and t.dep_ not in ("aux", "auxpass") and complements:
                return t, complements[0].dep_ == "acomp"
            return t, False
    for t in toks:
        if t.dep_ in ("acomp", "attr") and t.head.lemma_ == "be":
            if t.dep_ == "attr" and _modified_after(t, slot, _CLAUSES):
                return None  # "is a recovering addict who now volunteers": "who" needs the noun
            return t.head, t.dep_ == "acomp"
    return None


def _matched_tokens(slot: Slot) -> list[Any]:
    s, e = slot.start - slot.offset, slot.end - slot.offset
    return [t for t in slot.sentence if s <= t.idx < e] if slot.sentence is not None else []


def _appositive(slot: Slot) -> Any:
    """The noun of a match that stands beside another noun to describe it ("Her sister,
    an anorexic, is in hospital"), or None."""
    toks = _matched_tokens(slot)
    nouns = [t for t in toks if t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN")
             and t.head.i < t.i and t.head.pos_ in ("NOUN", "PROPN")]
    if not nouns:
        return None
    noun = nouns[0]
    before = noun.doc[noun.left_edge.i - 1] if noun.left_edge.i > 0 else None
    return noun if before is not None and before.text == "," else None


def _relative_rewrite(s: str, m: re.Match[str], slot: Slot, noun: Any) -> Rewrite | None:
    """A verb template for an appositive noun becomes a relative clause:
    "Her sister, an anorexic, is in hospital" + ``<have> anorexia`` -> "Her sister, who
    has anorexia, is in hospital"; its tense is that of the sentence's verb."""
    described = noun.head
    verb = described.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    past = False
    if verb.pos_ in ("VERB", "AUX"):
        past = verbs.group_of(verb).past
    who = "who" if described.pos_ == "PROPN" or described.lower_ not in ("home", "house") else "which"
    g = verbs.Group(tokens=[noun], past=past,
                    plural=described.tag_ in ("NNS", "NNPS") or described.lower_ in verbs.PLURAL_NOUNS)
    words = verbs.conjugate(m.group(2), g, negate=bool(m.group(1)))
    start = noun.left_edge.idx + slot.offset  # the article goes: "an anorexic" -> "who has"
    if start > slot.start or noun.idx + slot.offset + len(noun.text) > slot.end:
        return None  # the match is not the whole appositive
    return Rewrite(start, slot.end, s[: m.start()] + " ".join([who, *words, *m.group(3).split()])
                   + s[m.end():])


#: words after a noun that describe it: a phrase, a clause, an apposition
_DESCRIBING = ("prep", "acl", "relcl", "amod", "appos", "compound")
#: of those, the clauses ("who now volunteers")
_CLAUSES = ("acl", "relcl")


def _modified_after(noun: Any, slot: Slot, kinds: tuple[str, ...] = _DESCRIBING,
                    places: bool = False) -> bool:
    """Whether a noun has words after the match that describe it ("a care leaver studying
    at college", "a patient on ward 3"), which a verb put in its place would leave stranded
    (words inside the match, "victim of domestic abuse", go with it).  With ``places``,
    where the person is ("on ward 3", "at the day centre") goes with a verb of doing as
    well: "is a bed blocker on ward 3" -> "is waiting to leave hospital on ward 3"."""
    return any(c.i > noun.i and c.idx + slot.offset >= slot.end
               and c.dep_ in kinds
               and not c.lower_.endswith("self")  # "herself" is not
               and c.lower_ not in ("for", "since", "until")  # "for thirty years" is the verb's
               and not (places and c.lower_ in ("on", "at"))
               for c in noun.children)


#: verbs of being and having: where the person is does not go with them ("has dementia on
#: ward 3")
_STATES = frozenset(("have", "be", "know", "need", "own"))


def _verb_rewrite(s: str, m: re.Match[str], slot: Slot) -> Rewrite | None:
    doing = m.group(2) not in _STATES or re.match(r"\s+\w+ing\b", s[m.end():]) is not None
    found = _verb_slot(slot, places=doing)  # "<be> waiting" is doing
    if found is None:
        first = _first_token(slot)
        if first is None or slot.tag not in ("VBZ", "VBD", "VBN", "VBG", "VBP"):
            return None
        head, g = first, verbs.bare_group(first, slot.tag)  # a verb the tagger took for a noun
    else:
        head, copula = found
        g = verbs.group_of(head, copula)
    rewrite = _group_rewrite(s, m, slot, head, g)
    if rewrite is None and slot.sentence is not None and slot.sentence.text.rstrip().endswith("?"):
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and g.tokens and subject.i > g.tokens[0].i \
                and subject.idx + slot.offset < slot.start:
            return _question_rewrite(s, m, slot, g, subject)
    return rewrite


def _group_rewrite(s: str, m: re.Match[str], slot: Slot, head: Any, g: verbs.Group) -> Rewrite | None:
    """The verb group, from its first changed word to the end of the match, conjugated.
    A passive with its doer named ("were placed in foster care by the local authority")
    has no active wording that keeps the doer: no fit."""
    if g.passive and m.group(2) != "be" and _doer_after(head, slot):
        return None
    offset = slot.offset
    words = verbs.conjugate(m.group(2), g, negate=bool(m.group(1)))
    extra = m.group(3).split()
    match_start = slot.start
    toks = g.tokens
    # leave alone the leading words that stay the same ("have" in "have failed")
    k = 0
    while k < len(toks) - 1 and k < len(words) - 1 and toks[k].lower_ == words[k].lower():
        k += 1
    first_in_match = next((i for i, t in enumerate(toks) if t.idx + offset >= match_start),
                          len(toks))
    k = min(k, first_in_match)
    if m.group(1) and g.negated:
        k = 0  # "will not refuse to" + <not want> is "will want": the old "not" goes too
    start = toks[k].idx + offset if toks[k].idx + offset < match_start else match_start
    group_end = toks[-1].idx + offset + len(toks[-1].text)
    if start < match_start and not _only_articles(slot.text[group_end:match_start]):
        return None  # "is a known drug abuser": "known" would be lost
    new = words[k:]
    if any(c.dep_ == "neg" and c.idx + offset < start for c in head.children) and "not" in new:
        new.remove("not")  # the sentence's own "not" (or "n't") stays where it is
    between = [t for t in g.between if t.idx + offset >= start]
    if between:
        if any(t.tag_ not in ("RB", "RBR", "RBS") for t in between):
            return None
        adverbs = [t.text for t in between]
        new = [new[0], *adverbs, *new[1:]] if len(new) > 1 else [*adverbs, *new]
    end = slot.end
    if head.idx + offset + len(head.text) > end:
        return None  # the match stops inside the verb group
    tail = s[m.end():]
    head_text = s[: m.start()]
    words = " ".join(new + extra)
    if re.search(r"n['’]t\b", slot.text[start:end], re.IGNORECASE):
        words = _contract(words)  # the writer's "doesn't" stays a contraction
    replacement = _after_contraction(slot.text[start:end], head_text + words + tail)
    lost = g.progressive and not g.passive and m.group(2) in verbs.STATIVE
    return Rewrite(start, end, replacement, lost)


_CONTRACTED_AUX = {"'s": ("is", "has"), "'re": ("are",), "'m": ("am",), "'ve": ("have",),
                   "'d": ("had", "would"), "'ll": ("will",)}


def _after_contraction(original: str, replacement: str) -> str:
    """A verb group that starts with the writer's contraction ("Dad's a recovering
    addict") keeps it where the new words start with the same auxiliary ("Dad's in
    recovery"), and is spelt out after a space where they do not ("They have addictions")."""
    m = re.match(r"['’]([a-z]{1,2})\b", original, re.IGNORECASE)
    if not m:
        return replacement
    full = _CONTRACTED_AUX.get("'" + m.group(1).lower(), ())
    first, _, rest = replacement.partition(" ")
    if first.lower() in full and rest:
        return original[0] + m.group(1) + " " + rest
    return " " + replacement


_CONTRACTIBLE = lazyre.compile(rf"\b({'|'.join(morph.NOT_CONTRACTED)})\s+not\b", re.IGNORECASE)


def _contract(words: str) -> str:
    """The first "<auxiliary> not" written as the contraction the writer used."""
    return _CONTRACTIBLE.sub(lambda m: morph.contracted_not(m.group(1)), words, count=1)


_DO = {"is": "does", "are": "do", "am": "do", "was": "did", "were": "did"}
_ARTICLE_END = lazyre.compile(r"(?i)\b(?:a|an|the)\s+\Z")


def _question_rewrite(s: str, m: re.Match[str], slot: Slot, g: verbs.Group, subject: Any) -> Rewrite | None:
    """A question puts the first auxiliary before the subject: "Is Kai's brother still a
    drug addict?" + ``<use> drugs`` -> "Does Kai's brother still use drugs?"; with "be"
    the complement alone changes ("Is Dad still dependent on alcohol?"); a perfect keeps
    its fronted "has" ("Has Dad used heroin?")."""
    verb, negate, extra = m.group(2), bool(m.group(1)), m.group(3).split()
    offset = slot.offset
    fronted = g.tokens[0]
    if negate or g.negated or any(c.dep_ == "neg" for c in fronted.head.children):
        return None
    subject_end = subject.right_edge.idx + len(subject.right_edge.text) + offset
    article = _ARTICLE_END.search(slot.text, 0, slot.start)
    comp_start = article.start() if article and article.start() >= subject_end else slot.start
    head_text, tail = s[: m.start()], s[m.end():]
    if verb == "be":
        return Rewrite(comp_start, slot.end, (head_text + " ".join(extra) + tail).strip())
    fronted_end = fronted.idx + offset + len(fronted.text)
    if len(g.tokens) == 1 and fronted.lemma_ == "be":
        do = _DO.get(fronted.lower_)
        if do is None:
            return None
        middle = slot.text[fronted_end:comp_start]
        new = morph.match_case(do, fronted.text) + middle + head_text + " ".join([verb, *extra]) + tail
        return Rewrite(fronted.idx + offset, slot.end, new)
    words = verbs.conjugate(verb, g)
    rest = g.tokens[1]
    if len(words) < 2 or words[0].lower() != fronted.lower_ or rest.idx + offset < subject_end \
            or not _only_articles(slot.text[g.tokens[-1].idx + offset + len(g.tokens[-1].text):slot.start]):
        return None
    return Rewrite(rest.idx + offset, slot.end, head_text + " ".join(words[1:] + extra) + tail)


_ARTICLES_ONLY = lazyre.compile(r"(?i)\s*(?:(?:not|n't)\s*)?(?:(?:a|an|the)\s+)?")


def _only_articles(between: str) -> bool:
    """Whether the words between a verb group and the match are at most an article."""
    return _ARTICLES_ONLY.fullmatch(between) is not None


def _first_token(slot: Slot) -> Any:
    if slot.sentence is None:
        return None
    s = slot.start - slot.offset
    return next((t for t in slot.sentence if t.idx >= s), None)


_PERFECT_OR_PASSIVE = lazyre.compile(
    r"(?i)\b(?:has|have|had|having|'ve|is|are|was|were|be|been|being|'s|get|got|gets)"
    r"(?:\s+(?:not|n't|never|already|just|also|recently|since|all|both|then|now|\w+ly))*\s+\Z")


def _participle_or_past(slot: Slot) -> str | None:
    """The matched word's tag; an "-ed" form read as past (VBD) is a participle (VBN)
    after "has", "was" and the like ("has demonstrated" + ``{show}`` -> "has shown")."""
    if slot.tag in ("VBD", "VBN") and slot.sentence is None:
        before = slot.text[max(0, slot.start - 60):slot.start]
        return "VBN" if _PERFECT_OR_PASSIVE.search(before) else "VBD"
    if slot.tag is None and plural_by_context(_matched_tokens(slot)):
        return "NNS"
    return slot.tag


MANY = frozenset("all both many several these those few various most".split())
PLURAL_AUX = frozenset("are were have do".split())


def plural_by_context(toks: list[Any]) -> bool:
    """An acronym that is its own plural ("All LAC in the borough have", "Three UASC
    arrived"): the number is read from its determiner, its count, or its verb."""
    if not toks or not toks[-1].text.isupper():
        return False
    noun = toks[-1]
    for c in noun.children:
        if c.dep_ in ("det", "predet", "amod", "nummod", "quantmod", "compound") and (
                c.lower_ in MANY or (c.like_num and c.lower_ not in ("one", "1"))):
            return True
    if noun.dep_ in ("nsubj", "nsubjpass"):
        verb = noun.head
        return verb.tag_ == "VBP" or any(a.dep_ in ("aux", "auxpass") and a.lower_ in PLURAL_AUX
                                         for a in verb.children)
    return False


_PARTICLE_END = lazyre.compile(r"\s(out|up|off|down|away|back|over|in)\Z")
_PRONOUN_AFTER = lazyre.compile(r"([ \t]+)(it|them|him|me|us)\b(?![\w'’-])")


def _particle(r: Rewrite, text: str) -> Rewrite:
    """A phrasal verb's particle goes after a pronoun object: "find it out", not "find
    out it"."""
    m = _PARTICLE_END.search(r.replacement)
    after = _PRONOUN_AFTER.match(text, r.end)
    if not m or not after:
        return r
    verb = r.replacement[: m.start()]
    return replace(r, end=after.end(), replacement=f"{verb} {after.group(2)} {m.group(1)}")


# -- casing, articles, possessives, hyphens ---------------------------------------------
def _cased(r: Rewrite, slot: Slot) -> Rewrite:
    original = slot.text[r.start:r.end]
    how = casing.style(original)
    if how in ("capital", "lower") and not slot.own_capitals \
            and any(w[0].isupper() for w in casing.WORD.findall(original)) \
            and _in_title_case_line(slot.text, r.start, r.end):
        how = "title"  # one word of a Title Case heading ("Plan for Respite")
    if slot.own_capitals:
        # the phrase's own capitals ("LAC", "Down's") say nothing; its other words do:
        # "LAC Review" is Title Case, "LAC review" is not
        rest = [w for w in casing.WORD.findall(original)[1:]
                if not w.isupper() and w.lower() not in casing.MINOR]
        how = ("upper" if _in_capitals_line(slot.text, r.start, r.end) else
               "title" if rest and all(w[0].isupper() for w in rest) else
               "capital" if _at_sentence_start(slot, r.start) else "lower")
    elif slot.case_sensitive and how in ("upper", "title") \
            and not (how == "upper" and _in_capitals_line(slot.text, r.start, r.end)):
        # an acronym in a Title Case heading ("Leah's PEP Meeting - Summary of Actions")
        # is written out in Title Case too
        how = ("title" if _in_title_case_line(slot.text, r.start, r.end) else
               "capital" if slot.sentence_start and r.start == slot.start else "lower")
    if how == "capital" and not (slot.sentence_start or r.start != slot.start
                                 or not slot.case_sensitive):
        how = "lower"
    if how == "lower" and _at_sentence_start(slot, r.start):
        how = "capital"
    cased = casing.apply(r.replacement, how)
    if how == "title" and slot.text[line_around(slot.text, r.start, r.end)[0]:r.start].strip():
        # inside a heading a small first word stays small ("Plan for a Short Break")
        first = casing.WORD.search(cased)
        if first is not None and first.group().lower() in casing.MINOR and first.start() == 0:
            cased = first.group().lower() + cased[first.end():]
    return replace(r, replacement=cased)


def _in_capitals_line(text: str, start: int, end: int) -> bool:
    """Whether the line holding ``[start, end)`` is a heading in capitals, with more
    words than the matched ones ("CIN REVIEW - 14 NOVEMBER")."""
    line = line_around(text, start, end)[1]
    return line.isupper() and len(casing.WORD.findall(line)) > len(casing.WORD.findall(text[start:end]))


def _in_title_case_line(text: str, start: int, end: int) -> bool:
    """Whether the line holding ``[start, end)`` is a Title Case heading or label."""
    a, line = line_around(text, start, end)
    head = line.split(":", 1)[0] if ":" in line else line
    if start - a >= len(head) or len(head) > 80:
        return False
    words = [w for w in casing.WORD.findall(head) if w.lower() not in casing.MINOR]
    return len(words) >= 2 and all(w[0].isupper() for w in words) and not head.isupper()


def _at_sentence_start(slot: Slot, start: int) -> bool:
    return slot.sentence_start if start == slot.start else _opens_a_sentence(slot.text, start)


def _opens_a_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start]
    return start == 0 or bool(re.search(r"(?:^|[.!?]\s+|\n\s*)\Z", before))


_VOWEL_LETTER_NAMES = frozenset("AEFHILMNORSX")
_AN_EXCEPTIONS = lazyre.compile(r"(?i)^(?:uni|use|usu|ur[aeiou]|eu|ewe|one|once|ubiq)")
_SILENT_H = lazyre.compile(r"(?i)^(?:hour|honest|honou?r|heir)")


def wants_an(word: str) -> bool:
    """Whether "an" goes before ``word`` (by its first sound, as far as spelling shows)."""
    w = word.lstrip("\"'“‘([")
    if not w or not w[0].isalnum():
        return False
    if len(w) > 1 and w.isupper() and not w.isdigit():  # an acronym said letter by letter
        return w[0] in _VOWEL_LETTER_NAMES
    if w[0] == "8" or w.startswith(("11", "18")):
        return True
    if _SILENT_H.match(w):
        return True
    return w[0].lower() in "aeiou" and not _AN_EXCEPTIONS.match(w)


_OWN_DETERMINER = lazyre.compile(r"(?i)(?:the|a|an)\s+(?:[^\W\d_]+['’]s\s+)?(?=\S)")
_DETERMINER_BEFORE = lazyre.compile(
    r"(?i)(?:\b(?:the|a|an|his|her|their|its|my|our|your|this|that|these|those|each|every|any|no|another|some)|[^\W\d_]['’]s|s['’])\s+\Z")


_ALL_BEFORE = lazyre.compile(r"(?i)\b(?:all|both)\s+\Z")
_RELATIVE = lazyre.compile(r"(?i)\b(?:we|they|you|who|that)\b")
_WE_SUPPORT = lazyre.compile(r"(?i)\b(?:we|they|you)\b")
#: a place or group after the words ("at the day centre"): the people are particular ones
_PLACE_AFTER = lazyre.compile(r"[ \t]+(?:at|in|from|on)\b")


def _article(r: Rewrite, text: str) -> Rewrite:
    determined = _DETERMINER_BEFORE.search(text, max(0, r.start - 30), r.start) is not None
    if _RELATIVE.search(r.replacement) and not _OWN_DETERMINER.match(r.replacement) \
            and not r.replacement.startswith("[") \
            and r.replacement.split(maxsplit=1)[0].lower() not in NOT_A_HEAD and (
                _ALL_BEFORE.search(text, max(0, r.start - 6), r.start)
                or (_PLACE_AFTER.match(text, r.end) and _WE_SUPPORT.search(r.replacement)
                    and not determined)):
        # "All service users at Elm Court" + "people we support": "All the people we
        # support"; "Service users at the day centre chose": "The people we support at ..."
        first = r.replacement[:1]
        the = "THE" if r.replacement.isupper() else "The" if first.isupper() else "the"
        rest = r.replacement if r.replacement.isupper() or r.replacement.istitle() \
            else first.lower() + r.replacement[1:]
        r = replace(r, replacement=f"{the} {rest}")
    own = _OWN_DETERMINER.match(r.replacement)
    if own and determined and not _OWN_DETERMINER.match(text, r.start, r.end):
        # "the FOC", "Mia's FOC" + "the child's father": the sentence has its own
        r = replace(r, replacement=r.replacement[own.end():])
    m = _ARTICLE_BEFORE.search(text, max(0, r.start - 6), r.start)
    words = r.replacement.split()
    if not m or not words or words[0].startswith("["):
        return r
    article = m.group(1)
    want = "an" if wants_an(words[0]) else "a"
    if article.lower() == want:
        return r
    shown = want.upper() if article.isupper() and len(article) > 1 else (
        want.capitalize() if article[0].isupper() else want)
    between = text[m.end(1):r.start]
    return replace(r, start=m.start(1), replacement=shown + between + r.replacement)




def _possessive(r: Rewrite, text: str) -> Rewrite | None:
    """A plural possessive ("care leavers' forum") keeps its "'s" on the new words; words
    whose head is not last ("adults at risk", "people we support") cannot take one: no
    fit."""
    after = text[r.end:r.end + 2]
    if after[:1] in ("'", "’") and not after[1:2].isalpha() and r.end > 0 and text[r.end - 1] in "sS":
        if TRAILING.search(r.replacement):
            return None
        if not r.replacement.endswith(("s", "]")):
            return replace(r, end=r.end + 1, replacement=r.replacement + after[0] + "s")
    elif after[:2] in ("'s", "’s") and TRAILING.search(r.replacement):
        return None
    return r


#: words that cannot be the noun a modifier goes with ("a self-harmer and ...", "contact is")
NOT_A_HEAD = frozenset(
    "and or but nor so yet as at by for from in into of on to with without who whom whose which "
    "that is are was were be been has have had do does did will would can could may might "
    "should must not also who's when where while because if than then "
    # a time or a quantifier after the modifier: "attention-seeking all evening"
    "all again today tonight yesterday during throughout every each".split())


def _hyphenated(r: Rewrite, slot: Slot) -> Rewrite:
    """A hyphenated modifier ("respite-care package") stays one: "short-break package"."""
    original = slot.text[r.start:r.end]
    following = re.match(r"[ \t]+([^\W\d_][\w'’-]*)", slot.text[r.end:r.end + 40])
    words = r.replacement.split()
    if (re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)+", original) and 1 < len(words) <= 3
            and "[" not in r.replacement and following
            and following.group(1).lower() not in NOT_A_HEAD
            and not NOT_A_HEAD & {w.lower() for w in words}):
        return replace(r, replacement="-".join(words))
    return r
