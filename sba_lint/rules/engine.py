"""Run a compiled rule set over a document: candidates -> conditions -> findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Generator, Iterable
from dataclasses import replace
from typing import Any

from .. import lazyre
from ..analysis import attribution, nlp
from ..analysis.text import COUNT_WORD, TextIndex, line_around
from ..findings import Decision, Finding, Fix, Severity
from ..rewrite import agreement
from ..rewrite.casing import PLACEHOLDER
from ..rewrite.render import MANY, NOT_A_HEAD, PLURAL_AUX, Rewrite, Slot, may_not_modify, render
from ..source.document import Document
from .conditions import (
    AGE_OF_CONSENT,
    QUOTED,
    find_subject,
    governor,
    has_object,
    is_body,
    is_child,
    is_person,
    is_young_child,
    lexical_reason,
    matched_words,
    not_people,
    person_for,
    stated_under,
    syntax_check,
)
from .kinds import Candidate, RuleSet, matched_groups
from .model import Rule

_KIND_RANK = {"phrase": 0, "pattern": 1, "acronym": 2, "metric": 3}
_DEFINED_AFTER = lazyre.compile(
    r"\(\s*(?:(?:hereafter|hereinafter|together|jointly)\s+)?(?:(?:referred\s+to|known)\s+as\s+)?"
    r"(?:the\s+)?(?:[A-Z][a-z]+\s+)?['\"‘“]?([A-Za-z][A-Za-z0-9&]*?[A-Z0-9])s?['\"’”]?\s*\)")
#: a list of parties or a glossary: "MGM - maternal grandmother", "PGM: paternal grandmother"
_DEFINED_LIST = lazyre.compile(r"(?m)^[ \t]*([A-Z][A-Za-z0-9&]*[A-Z0-9])[ \t]*(?:[-–—:=]|\t)[ \t]*[A-Za-z]")
#: (the words in brackets hold a space or one line break; written so that no split is
#: tried twice: a bracket left open before a long line is read in linear time)
_DEFINED_BEFORE = lazyre.compile(r"\b([A-Za-z][A-Za-z0-9&]*?[A-Z0-9])s?\s*\(\s*[A-Za-z]"
                             r"(?:[^()\s]*[^\S\n][^()\n]*(?:\n[^()\n]*)?|[^()\n]*\n[^()\n]*)\)")
_UNKNOWN_ACRONYM = lazyre.compile(r"(?<![\w'’-])[A-Z][A-Z0-9&]{1,6}(?:s|'s|’s)?(?![\w'’-])")
_ROMAN = lazyre.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_SHOUTED = lazyre.compile(r"\b[A-Z]{2,}[ \t]+\Z")
_SHOUTED_AFTER = lazyre.compile(r"[ \t]+[A-Z]{2,}\b")
#: a section number written with a full stop: "s.20", "S. 47", not "Mrs.20" or "s.2.1"
_SECTION_DOT = lazyre.compile(r"(?<![\w./])[Ss]\.\s?(\d{1,3}[A-Z]?)\b(?![.,]?\d)")
_SECTION_ANY = lazyre.compile(r"[Ss]\.?\s?(\d{1,3}[A-Za-z]?)s?")
_SECTION_WRITTEN = lazyre.compile(r"\b[Ss]ection\s+(\d{1,3}[A-Z]?)\b")
_NOT_A_SECTION = lazyre.compile(r"\s*(?:years?|yrs?|months?|weeks?|days?|y/o|mg|kg|cm)\b", re.IGNORECASE)
_NAME_BEFORE = lazyre.compile(r"\b[A-Z][a-z]+\s\Z")
_SECTION_KEY = lazyre.compile(r"S\d{1,3}[A-Z]?")
_PLAIN_S = lazyre.compile(r"(?:'s|’s|s)$")
#: capitals used as a person's name, as judgments and reviews name the family ("ES, who
#: was born in 2019", "JC's mother", "Re AB", "SB v DM", "(1) EL (2) JC", "KT (aged 4)")
_INITIALS_AS_NAME = lazyre.compile(
    r"(?:\bRe\s+|\bv\.?\s+|\(\d{1,2}\)\s*)([A-Z]{1,4})\b"
    r"|\b([A-Z]{1,4})(?:['’]s\b|\s*,?\s*(?:who|whom|whose|aged|born)\b|\s*\((?:aged|born|\d)|\s+v\.?\s"
    # a review's anonymised person: "AA died in December", "BB was a woman in her 70s"
    r"|\s+(?:died|(?:was|is)\s+an?\s+(?:man|woman|boy|girl|child|baby|young|teenager|person|mother|father))\b)")


#: the parties of a case title: "v SB, DM and BL"
_PARTIES = lazyre.compile(r"\bv\.?\s+((?:[A-Z]{1,4}\b(?:\s*,\s*|\s+and\s+|\s*&\s*)?){2,})")


def _initials_as_names(text: str) -> set[str]:
    """Capitals the document uses as a person's name anywhere: every use is then a name."""
    names = {m.group(1) or m.group(2) for m in _INITIALS_AS_NAME.finditer(text)}
    for m in _PARTIES.finditer(text):
        names.update(re.findall(r"[A-Z]{1,4}", m.group(1)))
    return names


class Engine:
    """Applies one rule set; safe to share between threads (it keeps no per-run state)."""

    def __init__(self, ruleset: RuleSet, allow: Iterable[str] = (), *,
                 check_rewrites: bool = True, silent: Iterable[str] = ()):
        self.ruleset = ruleset
        #: rules run only so that their words are not claimed by another rule (ignored ones)
        self.silent = frozenset(silent)
        #: render suggestions into the parsed sentence and read it again (off for audits,
        #: which never show a suggestion)
        self.check_rewrites = check_rewrites
        self.allow = frozenset(" ".join(a.lower().split()) for a in allow)
        words = [re.findall(r"[^\W_]+", a) for a in sorted(self.allow)]
        self._allow_re = re.compile("|".join(
            r"(?<![\w'’-])" + r"(?:[\s\-‐‑]+)".join(map(re.escape, w)) + r"(?![\w-])"
            for w in words if w), re.IGNORECASE) if any(words) else None

    def _allowed(self, text: str) -> list[tuple[int, int]]:
        """Where the allowed words occur: nothing inside them is flagged."""
        if self._allow_re is None:
            return []
        return [m.span() for m in self._allow_re.finditer(text)]

    # -- the run --------------------------------------------------------------------
    def run(self, doc: Document, idx: TextIndex | None = None,
            trace: list[Decision] | None = None) -> list[Finding]:
        """The findings of ``doc``; with ``trace``, every candidate's decision is added to it."""
        return parsing(self.steps(doc, idx, trace))

    def steps(self, doc: Document, idx: TextIndex | None = None,
              trace: list[Decision] | None = None) -> Steps:
        """:meth:`run` as a generator: it yields the texts it needs parsed, is sent their
        Docs, and returns the findings; so several documents' sentences can be parsed in
        one batch (:func:`parsing` parses each request at once)."""
        idx = idx or TextIndex(doc.text, doc.hard_breaks)
        text = doc.text

        def drop(rule: str, start: int, end: int, reason: str) -> None:
            if trace is not None:
                trace.append(Decision(rule, start, end, text[start:end], False, reason))

        candidates: list[Candidate] = []
        pattern_sentences: set[tuple[int, int]] = set()
        for entry, i, j, cut in self.ruleset.trie.scan(idx):
            if entry.trigger:
                pattern_sentences.add(idx.sentence_span(idx.starts[i]))
                continue
            if entry.exact is not None and not _same_capitals(text, idx, i, entry.exact):
                drop(entry.rule.id, idx.starts[i], idx.ends[j],
                     "capitals differ (the rule is case-sensitive)")
                continue
            candidates.append(
                Candidate(entry.rule, idx.starts[i], idx.ends[j] - cut, i, j, entry.tag, entry.expansion,
                          data={"own_capitals": True} if entry.own_capitals else {},
                          suggestions=entry.suggestions)
            )
        candidates.extend(self._unknown_acronyms(idx))
        candidates.extend(self._sections(idx))
        for c in candidates:
            if c.expansion and _AMBIGUOUS in c.expansion:
                c.expansion = _one_meaning(c.expansion, idx.words_after(c.last, 1))
        candidates = self._filter(candidates, lambda c: lexical_reason(c, idx), drop)
        if self.ruleset.acronyms:
            candidates = self._drop_defined(candidates, idx, drop)
        parsed: dict[tuple[int, int], Any] = {}
        memo: dict[str, Any] = {}  # text -> Doc: each text parsed once in this run
        # the sentences whose suggestions will read the parse go in the same batch as those
        # the conditions need: one call to the parser instead of two (each call costs about
        # as much as a dozen words).  No sentence is parsed that was not before: a candidate
        # the conditions may drop is in a sentence they parse anyway
        also = self._rewrite_spans(candidates, idx)
        candidates = yield from self._syntax(candidates, pattern_sentences, also, idx, drop, parsed, memo)
        yield from self._parse_for_rewrites(candidates, idx, parsed, memo)
        why: dict[tuple[str, int, int], str] = {}
        findings = []
        unfit: list[Finding] = []
        for c in candidates:
            f = self._finding(doc, idx, c, parsed)
            findings.append(f)
            if c.data.get("unfit"):
                unfit.append(f)
            why[(f.rule, f.start, f.end)] = "; ".join(w for w in c.why if w) or "the words match"
        findings = _back_off(findings, unfit, drop)
        findings.extend(self._metrics(doc, idx))
        # overlaps first, whatever is switched off: one finding for one set of words, so
        # turning the winner off never lets a loser speak for the same words
        resolved = resolve_overlaps(findings, self.ruleset, drop, text)
        allowed = self._allowed(text)
        kept = []
        for f in resolved:
            if f.rule in self.silent:
                drop(f.rule, f.start, f.end, "ignored by configuration")
            elif doc.is_suppressed(f.rule, f.rule.split(".", 1)[0], f.start, f.end):
                drop(f.rule, f.start, f.end, "turned off by an inline directive")
            elif any(a <= f.start and f.end <= b for a, b in allowed) or \
                    " ".join(f.match.lower().split()) in self.allow:
                drop(f.rule, f.start, f.end, "allowed by configuration")
            else:
                kept.append(f)
        out = first_only(kept, self.ruleset, drop)
        for f in list(out):  # kept by the writer in Word: not shown, still shadows overlaps
            reason = doc.kept_reason(f.rule, f.start, f.end)
            if reason:
                out.remove(f)
                drop(f.rule, f.start, f.end, reason)
        out = yield from self._check_rewrites(out, idx, why, memo)
        if trace is not None:
            for f in out:
                trace.append(Decision(f.rule, f.start, f.end, f.match, True,
                                      why.get((f.rule, f.start, f.end), "beyond the limit")))
            unique = sorted(set(trace), key=lambda d: (d.start, d.end, d.rule, not d.kept, d.reason))
            trace[:] = unique
        return out

    @staticmethod
    def _filter(candidates: list[Candidate], reason: Callable[[Candidate], str | None],
                drop: Callable[[str, int, int, str], None]) -> list[Candidate]:
        out = []
        for c in candidates:
            r = reason(c)
            if r is None:
                out.append(c)
            else:
                drop(c.rule.id, c.start, c.end, r)
        return out

    # -- acronyms -------------------------------------------------------------------
    def _definitions(self, idx: TextIndex) -> dict[str, int]:
        defined: dict[str, int] = {}
        for pattern in (_DEFINED_AFTER, _DEFINED_BEFORE, _DEFINED_LIST):
            for m in pattern.finditer(idx.text):
                key = _acronym_key(m.group(1))
                at = m.start() if pattern is _DEFINED_AFTER else m.start(1)
                if key not in defined or at < defined[key]:
                    defined[key] = at
        # a section written out ("a section 47 enquiry") explains "s47" and "s.47" after it
        for m in _SECTION_WRITTEN.finditer(idx.text):
            key = f"S{m.group(1).upper()}"
            defined.setdefault(key, m.start())
        return defined

    def _drop_defined(self, candidates: list[Candidate], idx: TextIndex,
                      drop: Callable[[str, int, int, str], None]) -> list[Candidate]:
        if not any(c.rule.kind == "acronym" for c in candidates):
            return candidates
        defined = self._definitions(idx)
        out = []
        for c in candidates:
            if c.rule.kind == "acronym":
                surface = idx.text[c.start:c.end]
                keys = {_acronym_key(surface), _acronym_key(_PLAIN_S.sub("", surface))}
                section = _SECTION_ANY.fullmatch(surface)
                if section:
                    keys.add(f"S{section.group(1).upper()}")
                if any(k in defined and defined[k] <= c.start for k in keys):
                    drop(c.rule.id, c.start, c.end, "defined earlier in the document")
                    continue
            out.append(c)
        return out

    def _sections(self, idx: TextIndex) -> list[Candidate]:
        """Section numbers written with a full stop ("under s.20", "s. 47 enquiries"), as
        judgments and court statements write them: the same acronym as "s20" (its words
        hold a full stop, which the trie does not join across)."""
        if "." not in idx.text:
            return []
        out: list[Candidate] = []
        for rule in self.ruleset.acronyms:
            skip = rule.spec["exclude"] | rule.spec["common"]
            known = {key.upper(): value for key, value in rule.spec["acronyms"].items()
                     if key not in skip and _SECTION_KEY.fullmatch(key)}
            if not known:
                continue
            for m in _SECTION_DOT.finditer(idx.text):
                if _NOT_A_SECTION.match(idx.text, m.end()) or (
                        m.group().startswith("S") and _NAME_BEFORE.search(idx.text, 0, m.start())):
                    continue  # "Amy S. 17 years old": an initial and an age
                expansion = known.get(f"S{m.group(1).upper()}")
                if expansion is not None:
                    out.append(Candidate(rule, m.start(), m.end(), idx.token_at(m.start()),
                                         idx.token_at(m.end() - 1), None, expansion))
        return out

    def _unknown_acronyms(self, idx: TextIndex) -> list[Candidate]:
        out: list[Candidate] = []
        for rule in self.ruleset.acronyms:
            if not rule.spec["unknown"]:
                continue
            known = set(rule.spec["acronyms"]) | rule.spec["common"] | rule.spec["exclude"]
            known |= {k for key in rule.spec["acronyms"] for k in re.split(r"\s*/\s*", key)}
            names: set[str] | None = None  # read only once a candidate turns up
            for m in _UNKNOWN_ACRONYM.finditer(idx.text):
                word = _PLAIN_S.sub("", m.group()) if len(m.group()) > 2 else m.group()
                if word in known or m.group() in known or _ROMAN.fullmatch(word):
                    continue
                if names is None:
                    names = _initials_as_names(idx.text)
                if word in names or m.group() in names:
                    continue
                if any(ch.isdigit() for ch in word):
                    continue  # a postcode, a reference or a model number, not an acronym
                if _SHOUTED.search(idx.text, max(0, m.start() - 40), m.start()) or \
                        _SHOUTED_AFTER.match(idx.text, m.end()):
                    continue  # words in capitals: a heading or a name in a letterhead
                line = line_around(idx.text, m.start(), m.end())[1]
                letters = [ch for ch in line if ch.isalpha()]
                if letters and sum(ch.isupper() for ch in letters) > 0.6 * len(letters):
                    continue  # a heading in capitals
                first = idx.token_at(m.start())
                out.append(Candidate(rule, m.start(), m.end(), first, first, None, None))
        return out

    # -- syntax ---------------------------------------------------------------------
    def _syntax(self, candidates: list[Candidate], pattern_sentences: set[tuple[int, int]],
                also: set[tuple[int, int]], idx: TextIndex, drop: Callable[[str, int, int, str], None],
                parsed: dict[tuple[int, int], Any], memo: dict[str, Any]) -> Steps:
        """Conditions that need the parse (part of speech, subject, reported speech), asked
        only of the sentences whose candidates need it; the sentences ``also`` are parsed in
        the same batch (into ``parsed``)."""
        reporting: dict[tuple[int, int], bool] = {}

        def attributable(c: Candidate) -> bool:
            if c.rule.reported == "keep" and not c.data.get("quoted"):
                return False
            span = idx.sentence_span(c.start)
            if span not in reporting:
                reporting[span] = attribution.may_report(idx.text[span[0]:span[1]])
            return reporting[span]

        # quoted words in a sentence with no verb of saying or naming: somebody's own
        candidates = self._filter(
            candidates, lambda c: QUOTED if c.data.get("quoted") and not attributable(c) else None, drop)
        needs = [c for c in candidates if c.rule.needs_parse or attributable(c)]
        spans = {idx.sentence_span(c.start) for c in needs} | pattern_sentences | also
        if not spans:
            return candidates
        order = sorted(spans)
        yield from _parse_into(parsed, order, idx, memo)
        needed = {id(c) for c in needs}
        kept = []
        for c in candidates:
            if id(c) not in needed:
                kept.append(c)
                continue
            span = idx.sentence_span(c.start)
            if c.rule.needs_parse:
                ok, tag, reason = syntax_check(c, parsed[span], span[0])
                if not ok:
                    drop(c.rule.id, c.start, c.end, reason)
                    continue
                if tag and c.rule.inflect == "verb" and tag.startswith("VB"):
                    c.tag = tag
                c.why.append(reason)
            if self._attribute(c, parsed[span], span[0], attributable, drop, idx):
                kept.append(c)
        for span in sorted(pattern_sentences):
            sent = parsed[span]
            matcher = self.ruleset.matcher(sent.vocab)
            for match_id, s, e, aligned in matcher(sent, with_alignments=True):
                key = sent.vocab.strings[match_id]
                rule = self.ruleset.by_id[key.split("#", 1)[0]]
                start = span[0] + sent[s].idx
                end = span[0] + sent[e - 1].idx + len(sent[e - 1].text)
                first, last = idx.token_at(start), max(idx.token_at(end - 1), idx.token_at(start))
                c = Candidate(rule, start, end, first, last, sent[s:e].root.tag_)
                groups = matched_groups(key, self.ruleset.names, sent, s, aligned)
                if groups:
                    c.data["groups"] = {n: (span[0] + a, span[0] + b) for n, (a, b) in groups.items()}
                lexical = lexical_reason(c, idx)
                if lexical is not None:
                    drop(rule.id, start, end, lexical)
                    continue
                ok, tag, reason = syntax_check(c, sent, span[0])
                if not ok:
                    drop(rule.id, start, end, reason)
                    continue
                c.why.append(f"the pattern matched; {reason}" if reason else "the pattern matched")
                if self._attribute(c, sent, span[0], attributable, drop, idx):
                    kept.append(c)
        return kept

    @staticmethod
    def _attribute(c: Candidate, sent: Any, offset: int, attributable: Callable[[Candidate], bool],
                   drop: Callable[[str, int, int, str], None], idx: TextIndex) -> bool:
        """Whether the candidate stands once reported speech is considered: a rule marked
        ``reported: skip`` drops it; ``note`` keeps it as a gentle note to quote the speaker."""
        quoted = bool(c.data.get("quoted"))
        words = matched_words(sent, offset, c) if attributable(c) else None
        if words is None:
            if quoted:
                drop(c.rule.id, c.start, c.end, QUOTED)
            return not quoted
        if quoted:
            # quoted words stand only as a label a record or a professional gave
            label, who = attribution.quoted_from_record(
                words, not_people(), lambda t: idx.in_quotes(offset + t.idx, offset + t.idx + len(t)))
            if not label:
                drop(c.rule.id, c.start, c.end, QUOTED)
                return False
            c.data["reported"] = who
            c.why.append(f"a label quoted from {_named(who)}" if who else "a label quoted from a record")
            return True
        reported, who = attribution.speaker(words)
        if not reported:
            return True
        said = f"reported speech (the words of {_named(who)})" if who else "reported speech"
        if c.rule.reported == "skip":
            drop(c.rule.id, c.start, c.end, said)
            return False
        c.data["reported"] = who
        c.why.append(said)
        return True

    # -- rewrites -------------------------------------------------------------------
    @staticmethod
    def _templates(c: Candidate) -> tuple[str, ...]:
        return c.suggestions if c.suggestions is not None else c.rule.suggestions

    def _rewrite_spans(self, candidates: list[Candidate], idx: TextIndex,
                       parsed: Container[tuple[int, int]] = ()) -> set[tuple[int, int]]:
        """The sentences, other than those ``parsed``, where a suggestion reads the parse
        to fit (:meth:`_wants_parse`): a verb to conjugate into the match's verb group, a
        condition on the parse."""
        if not self.check_rewrites:
            return set()
        return {span for c in candidates if (span := idx.sentence_span(c.start)) not in parsed
                and c.data.get("reported") is None and not c.data.get("quoted")
                and self._wants_parse(c, idx)}

    def _parse_for_rewrites(self, candidates: list[Candidate], idx: TextIndex,
                            parsed: dict[tuple[int, int], Any], memo: dict[str, Any]) -> Steps:
        """Parse the sentences of :meth:`_rewrite_spans` not parsed yet, in one batch.
        Those were parsed with the conditions' sentences, and the parse only takes
        candidates away or adds them in sentences it read (``pattern`` rules): this parses
        nothing unless that changes."""
        spans = sorted(self._rewrite_spans(candidates, idx, parsed))
        if spans:
            yield from _parse_into(parsed, spans, idx, memo)

    def _wants_parse(self, c: Candidate, idx: TextIndex) -> bool:
        """Whether a suggestion needs the parse to fit: a verb to conjugate, a condition
        read from the parse (subject, what governs the words, an object), or words with a
        phrase of their own put before a word that may be the noun the match modifies
        ("service user group")."""
        # the match may modify the word after it ("service user group"): not before "is",
        # "with" or "and"
        before_a_word = c.last + 1 < len(idx.norms) and idx.joined(c.last) \
            and idx.norms[c.last + 1] not in NOT_A_HEAD
        # an acronym is its own plural: its number is read from the sentence when a word
        # near it says more than one ("All LAC ... have")
        invariant = c.tag is None and idx.text[c.start:c.end].isupper() and bool(
            _PLURAL_CUES.intersection(idx.words_before(c.first, 2) + idx.words_after(c.last, 1))
            or any(w.isdigit() and w != "1" for w in idx.words_before(c.first, 1)))
        # passive words with their doer after them ("were placed ... by the council")
        passive_by = bool(_BE_WORDS.intersection(idx.norms[c.first:c.last + 1])) \
            and "by" in idx.words_after(c.last, 8)
        when = c.rule.spec.get("when", {})
        templates = self._templates(c)
        return bool(templates) and (passive_by or any(
            "<" in t or "{their}" in t or _reads_the_parse(when.get(t))
            or (before_a_word and may_not_modify(t)) or (invariant and "|" in t)
            for t in templates))

    def _render(self, doc: Document, idx: TextIndex, c: Candidate,
                parsed: dict[tuple[int, int], Any] | None,
                at_start: bool) -> tuple[int, int, tuple[str, ...]]:
        """The suggestions rendered into the slot; the span grows to cover what the
        first one replaces (every suggestion then replaces that same span)."""
        templates = self._templates(c)
        if not templates:
            return c.start, c.end, ()
        if c.expansion and _AMBIGUOUS in c.expansion:
            # "CP": child protection or cerebral palsy; only the writer knows which
            c.why.append(f"'{c.expansion}': more than one meaning, and nothing after it to tell which")
            return c.start, c.end, ()
        if _self_described(idx, c):
            # "who describes himself as a recovering alcoholic": his own word for himself,
            # which the record should keep as his, in quotation marks, not reword
            c.why.append("the person's own word for themselves: quote it rather than reword it")
            return c.start, c.end, ()
        span = idx.sentence_span(c.start)
        sentence = (parsed or {}).get(span)
        slot = Slot(doc.text, c.start, c.end, c.tag, c.expansion,
                    sentence, span[0], at_start, c.rule.conditions.case_sensitive,
                    bool(c.data.get("own_capitals")),
                    _owner(sentence, span[0], c) if any("{their}" in t for t in templates) else None,
                    {n: doc.text[a:b] for n, (a, b) in c.data.get("groups", {}).items()})
        rewrites: list[Rewrite] = []
        when = c.rule.spec.get("when", {})
        for template in templates:
            if template in when and not _in_context(when[template], idx, c, slot.sentence, span[0]):
                continue
            r = render(template, slot)
            if r is None:
                c.why.append(f"suggestion '{template}' does not fit here")
            elif doc.text[r.start:r.end] != r.replacement:
                rewrites.append(r)
        if not rewrites:
            c.data["unfit"] = True  # it has wording, none of it fits this sentence
            return c.start, c.end, ()
        rewrites.sort(key=lambda r: r.aspect_lost)  # stable: the author's order otherwise
        lo = min(c.start, *(r.start for r in rewrites))
        hi = max(c.end, *(r.end for r in rewrites))
        # a placeholder for what the wider rewrite fills in ("[name]" beside "Poppy" for
        # "the subject child, Poppy,") would only repeat the words: it goes
        rewrites = [r for r in rewrites if (r.start, r.end) == (lo, hi)
                    or not PLACEHOLDER.fullmatch(r.replacement.strip())]
        text = doc.text
        return lo, hi, tuple(dict.fromkeys(
            text[lo:r.start] + r.replacement + text[r.end:hi] for r in rewrites))

    def _check_rewrites(self, findings: list[Finding], idx: TextIndex,
                        why: dict[tuple[str, int, int], str], memo: dict[str, Any]) -> Steps:
        """Read the words around each finding again with each suggestion in place; a
        suggestion that breaks agreement is dropped, and a fix whose wording is dropped is
        not applied.  Only a window of the sentence around the words is read (agreement is
        local): the original window once and each rewrite once, all in one batch."""
        if not self.check_rewrites:
            return findings
        todo: list[tuple[int, str, str, str]] = []  # finding, suggestion, original, rewritten
        for k, f in enumerate(findings):
            if not f.suggestions:
                continue
            s0, s1 = idx.sentence_span(f.start)
            if f.end > s1:
                continue
            a, b = _window(idx.text, s0, s1, f.start, f.end)
            original = agreement.readable(idx.text[a:b])
            for sug in f.suggestions[:_CHECKED]:
                todo.append((k, sug, original, agreement.readable(
                    idx.text[a:f.start] + sug + idx.text[f.end:b])))
        if not todo:
            return findings
        originals = list(dict.fromkeys(t[2] for t in todo))
        docs = yield from _parsed(originals + [t[3] for t in todo], memo)
        before = {o: agreement.problems(d) for o, d in zip(originals, docs, strict=False)}
        bad: dict[int, dict[str, str]] = {}
        for (k, sug, original, _), doc in zip(todo, docs[len(originals):], strict=True):
            extra = agreement.problems(doc) - before[original]
            if extra:
                kind, words = next(iter(extra))
                bad.setdefault(k, {})[sug] = f"{kind}: '{words}'"
        out = list(findings)
        for k, dropped in bad.items():
            f = findings[k]
            kept = tuple(s for s in f.suggestions if s not in dropped)
            fix = f.fix if f.fix is not None and f.suggestions[0] not in dropped else None
            out[k] = replace(f, suggestions=kept, fix=fix)
            key = (f.rule, f.start, f.end)
            notes = "; ".join(f"suggestion '{s}' dropped ({r})" for s, r in dropped.items())
            why[key] = f"{why.get(key, 'the words match')}; {notes}"
        return out

    # -- metrics --------------------------------------------------------------------
    def _metrics(self, doc: Document, idx: TextIndex) -> list[Finding]:
        out: list[Finding] = []
        for rule in self.ruleset.metrics:
            metric = rule.spec["metric"]
            if metric == "sentence-words":
                for s, e in idx.sentences():
                    n = sum(1 for _ in COUNT_WORD.finditer(doc.text, s, e))
                    if _beyond(rule, n):
                        c = Candidate(rule, s, e, -1, -1, data={"value": n})
                        out.append(self._finding(doc, idx, c))
            else:
                value = _readability(doc, idx)["grade" if metric == "grade" else "reading_ease"]
                if _beyond(rule, value):
                    c = Candidate(rule, 0, 0, -1, -1, data={"value": value})
                    out.append(self._finding(doc, idx, c))
        return out

    # -- findings -------------------------------------------------------------------
    def _finding(self, doc: Document, idx: TextIndex, c: Candidate,
                 parsed: dict[tuple[int, int], Any] | None = None) -> Finding:
        rule = c.rule
        match = doc.text[c.start:c.end]
        at_start = idx.is_sentence_start(c.start) if match else False
        shown = match if len(match) <= 60 else match[:57] + "..."
        limit = rule.spec.get("max", rule.spec.get("min", ""))
        message = (
            rule.message.replace("{match}", shown)
            .replace("{expansion}", _meanings(c.expansion or ""))
            .replace("{value}", str(c.data.get("value", "")))
            .replace("{limit}", str(limit))
        )
        severity = rule.severity
        reported = c.data.get("reported")
        start, end, suggestions = c.start, c.end, ()
        advice = rule.advice.replace("{match}", shown) if rule.advice else None
        if reported is not None and c.data.get("quoted"):
            # a label from another record, quoted: kept as evidence, or carried forward
            message = (f'"{shown}" is a label quoted from {reported}' if reported
                       else f'"{shown}" is a label quoted from another record')
            message += (". A label carried into a new record is read again by the person it "
                        "describes: quote it only where the exact words matter, and say what "
                        "was seen or done.")
            severity, advice = min(severity, Severity.INFO), None
        elif reported is not None:
            # somebody else's words: never reword what they said, only ask for it exactly
            message = (f'"{shown}" is reported as {reported}\'s description' if reported
                       else f'"{shown}" is reported as somebody else\'s description')
            message += (". Where it matters, record the exact words in quotation marks and say "
                        "who said them, so the reader can tell their words from yours.")
            severity, advice = min(severity, Severity.INFO), None
        elif match:
            start, end, suggestions = self._render(doc, idx, c, parsed, at_start)
        fix = None
        if rule.fix != "none" and suggestions and "[" not in suggestions[0]:
            fix = Fix(suggestions[0], rule.fix == "safe")
        match = doc.text[start:end]
        line, column = doc.line_col(start)
        end_line, end_column = doc.line_col(end)
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=severity,
            message=message,
            start=start,
            end=end,
            match=match,
            suggestions=suggestions,
            advice=advice,
            fix=fix,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            origin=doc.origin(start, end),
            source="; ".join(rule.source),
            reported=reported,
        )


def _named(who: str) -> str:
    """Document words in a reason, in the quotation marks ``--redact`` takes out (an
    apostrophe of their own made curly, so "O'Brien" does not end them early)."""
    return "'" + who.replace("'", "’") + "'"


#: how many suggestions of a finding are read again (the rest are rarely looked at)
_CHECKED = 3
#: words either side of a rewrite read again for agreement
_WINDOW_WORDS = 10
_WORD_RE = lazyre.compile(r"\S+")


#: a run's steps: it yields lists of texts to parse, is sent their Docs, returns its result
Steps = Generator[list[str], list[Any], Any]


def parsing(steps: Steps) -> Any:
    """Run one document's :meth:`Engine.steps`, parsing each request at once."""
    try:
        texts = next(steps)
        while True:
            texts = steps.send(nlp.parse(texts))
    except StopIteration as done:
        return done.value


def _parsed(texts: list[str], memo: dict[str, Any]) -> Steps:
    """The Docs of ``texts``, asking for those the run has not parsed yet in one batch
    (each text is parsed once in a run: the words read again around a finding are often
    the whole sentence, parsed already)."""
    todo = list(dict.fromkeys(t for t in texts if t not in memo))
    if todo:
        memo.update(zip(todo, (yield todo), strict=True))
    return [memo[t] for t in texts]


def _parse_into(parsed: dict[tuple[int, int], Any], spans: list[tuple[int, int]],
                idx: TextIndex, memo: dict[str, Any]) -> Steps:
    """Parse the sentences ``spans`` of the text in one batch, into ``parsed``."""
    docs = yield from _parsed([idx.text[s:e] for s, e in spans], memo)
    parsed.update(zip(spans, docs, strict=True))


def _in_context(when: dict[str, Any], idx: TextIndex, c: Candidate, sent: Any, offset: int) -> bool:
    """Whether a suggestion's conditions hold here: context words around the match, and
    who the subject is (see the pack schema)."""
    # a cue word is the head of what follows, which may end a long noun phrase ("the drug
    # and alcohol service"): six words; a word that rules wording out follows closely: four
    if when["after"] and not when["after"] & set(idx.words_after(c.last, 6)):
        return False
    if when["before"] and not when["before"] & set(idx.words_before(c.first, 4)):
        return False
    if when["not_after"] & set(idx.words_after(c.last, 4)):
        return False
    if when["not_before"] & set(idx.words_before(c.first, 4)):
        return False
    if when.get("start") is not None and _opens_sentence(idx, c) != when["start"]:
        return False
    if when.get("used_again") is not None:
        word = re.escape(idx.text[c.start:c.end])
        again = re.search(rf"(?<![\w'’-]){word}(?![\w'’-])", idx.text[c.end:]) is not None
        if again != when["used_again"]:
            return False
    if when.get("not_governed_by") and _governed_by(when["not_governed_by"], sent, offset, c):
        return False
    if when.get("object") is not None and _takes_object(sent, offset, c) is not when["object"]:
        return False
    if when["subject"]:
        return _subject_is(when["subject"], sent, offset, c)
    return True


def _reads_the_parse(when: dict[str, Any] | None) -> bool:
    """Whether a suggestion's conditions (see :func:`_in_context`) are read from the parse."""
    return bool(when) and bool(when["subject"] or when["not_governed_by"] or when["object"] is not None)


def _takes_object(sent: Any, offset: int, c: Candidate) -> bool | None:
    """Whether the matched verb has a direct object after it; unknown (no parse) is None,
    which neither ``object: true`` nor ``object: false`` accepts."""
    span = matched_words(sent, offset, c)
    return None if span is None else has_object(span)


def _governed_by(lemmas: frozenset[str], sent: Any, offset: int, c: Candidate) -> bool:
    """Whether the matched words hang on one of these words (lemmas): "the placement
    ended", "the breakdown of her placement"; unknown (no parse) is yes, so a wording
    that needs the test is not offered without it."""
    span = matched_words(sent, offset, c)
    if span is None:
        return True
    word = governor(span)
    return word is not None and (word.lemma_.lower() in lemmas or word.lower_ in lemmas)


_SELF = frozenset("himself herself themselves themself myself yourself ourselves".split())
_DESCRIBING = frozenset("describe describes described describing call calls called calling see sees saw "
                        "seeing refer refers referred referring label labels labelled labeling "
                        "labelling".split())
_IDENTIFYING = frozenset("identify identifies identified identifying".split())


def _self_described(idx: TextIndex, c: Candidate) -> bool:
    """Whether the matched words are how the person describes themselves ("describes
    himself as a recovering alcoholic", "calls herself an addict", "identifies as")."""
    before = idx.words_before(c.first, 6)
    return any(w in _SELF and k and before[k - 1] in _DESCRIBING for k, w in enumerate(before)) \
        or any(w in _IDENTIFYING and before[k + 1] == "as" for k, w in enumerate(before[:-1]))


#: what may come before the first word of a sentence: a bullet, a number, a quotation mark
_LEAD = lazyre.compile(r"[\s\-–•*·>\d.)(\"'“‘]*")


def _opens_sentence(idx: TextIndex, c: Candidate) -> bool:
    """Whether the matched words open their sentence or line ("With regard to housing, ...")."""
    start = max(idx.sentence_span(c.start)[0], idx.text.rfind("\n", 0, c.start) + 1)
    return _LEAD.fullmatch(idx.text[start:c.start]) is not None


def _subject_is(who: str, sent: Any, offset: int, c: Candidate) -> bool:
    """Whether the subject of the matched verb is a child (or an adult); unknown is no."""
    span = matched_words(sent, offset, c)
    if span is None:
        return False
    head = span.root
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    subject = find_subject(verb, passive=True)
    if subject is not None and subject.lower_ in _THIRD_PERSON:
        subject = person_for(subject)  # "discharged Mila (5) after she failed to attend"
    if subject is None or (not is_person(subject) and (is_child(subject) is None or is_body(subject))):
        # a noun with no person as its verb's subject ("Ava's record shows three DNAs",
        # "Reason for discharge: repeated DNAs (child aged 3)"), or a body ("The panel
        # agreed a residential placement for Tyler"): the person the sentence names
        subject = _person_named(sent)
    if who == "not-adult":  # a child, or nobody the sentence names as an adult
        return subject is None or is_child(subject) is not False
    if subject is None:
        return False
    if who == "young-child":
        return is_young_child(subject) is True
    if who == "under-16":
        return stated_under(subject, AGE_OF_CONSENT)
    child = is_child(subject)
    return child is True if who == "child" else child is False


_THIRD_PERSON = frozenset("he she they".split())
_BE_WORDS = frozenset("is are was were be been being".split())
#: words that say an acronym beside them is plural: a determiner before, a verb after
#: (those :func:`~sba_lint.rewrite.render.plural_by_context` reads, and counts in words)
_PLURAL_CUES = MANY | PLURAL_AUX | frozenset("two three four five six seven eight nine ten twelve".split())
_OWNER_PRONOUNS = {"he": "his", "she": "her", "they": "their", "you": "your"}
_MALE = frozenset("he him his himself boy boys son sons brother nephew grandson mr".split())
_FEMALE = frozenset("she her hers herself girl girls daughter daughters sister niece granddaughter "
                    "mrs ms miss".split())


def _owner(sent: Any, offset: int, c: Candidate) -> str | None:
    """Whose brothers and sisters: the possessive a ``{their}`` in a suggestion stands for,
    taken from the child the sentence is about ("Maya has sibling contact. She ..." is
    not enough: only the sentence is read).  "" where the words are the subject or the
    subject is not a child ("Sibling contact is monthly", "We discussed sibling contact"):
    no possessive; None where the child's pronoun cannot be told ("Maya has ..."), and
    the wording does not fit."""
    span = matched_words(sent, offset, c)
    if span is None:
        return None
    if any(t.dep_ == "poss" and t.i < span.start for t in span.root.children):
        return ""  # "your sibling contact": whose is said already
    if len(sent) > 2 and sent[0].pos_ == "PROPN" and sent[1].text == "," and span.start > 1:
        return "your"  # "Jade, sibling contact will be on Sundays": a letter to Jade
    verb = span.root.head  # the words are a noun phrase: start from what they hang from
    # (a token's head is a new object each time: the root is the one whose head is itself)
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head  # "looks forward to sibling contact": the verb the words hang from
    subject = find_subject(verb, passive=True)
    if subject is None or span.start <= subject.i < span.end:
        return ""
    lower = subject.lower_
    if lower in _OWNER_PRONOUNS:
        return _OWNER_PRONOUNS[lower]
    if subject.pos_ == "PRON" or is_child(subject) is not True:
        return ""
    if subject.tag_ in ("NNS", "NNPS") or any(t.dep_ == "conj" for t in subject.children):
        return "their"
    words = {lower} | {t.lower_ for t in subject.children}
    if words & _MALE:
        return "his"
    if words & _FEMALE:
        return "her"
    if subject.pos_ != "PROPN":
        return "their"  # "the child", "the young person"
    # a name: the pronouns the sentence uses for a person, when they agree
    said = {t.lower_ for t in sent if t.pos_ == "PRON" and not span.start <= t.i < span.end}
    male, female = bool(said & _MALE), bool(said & _FEMALE)
    return "his" if male and not female else "her" if female and not male else None


#: adults who look after other people's children: "no suitable foster carers could be
#: found" is about a child's home, not theirs
_CHILD_CARERS = frozenset("foster kinship adoptive".split())


def _cares_for_a_child(t: Any) -> bool:
    return t.lemma_.lower() == "adopter" or any(
        c.lower_ in _CHILD_CARERS for c in t.children if c.dep_ in ("compound", "amod"))


def _person_named(sent: Any) -> Any | None:
    """The person a sentence names: an adult if it names one (wording for a child is then
    not safe), else the first child, else None."""
    people = [t for t in sent if t.pos_ in ("PROPN", "NOUN") and t.dep_ != "compound"
              and is_person(t) and is_child(t) is not None and not _cares_for_a_child(t)]
    return next((t for t in people if is_child(t) is False), people[0] if people else None)


def _window(text: str, s0: int, s1: int, start: int, end: int) -> tuple[int, int]:
    """A stretch of the sentence ``[s0, s1)`` around ``[start, end)``: up to ten words either
    side, from a clause's start where one is near."""
    before = list(_WORD_RE.finditer(text, s0, start))
    a = before[-_WINDOW_WORDS].start() if len(before) >= _WINDOW_WORDS else s0
    after = list(_WORD_RE.finditer(text, end, s1))
    b = after[_WINDOW_WORDS - 1].end() if len(after) >= _WINDOW_WORDS else s1
    return a, b


def _same_capitals(text: str, idx: TextIndex, first: int, exact: tuple[str, ...]) -> bool:
    """Case-sensitive phrases compare only their capitalised words: ``LAC review``
    matches "LAC Review" but not "lac review".  An acronym of three letters or more may be
    written with the small word inside it in small letters: "CiC" is CIC (child in care),
    "CiN" is CIN, "DoLS" is DOLS."""
    for k, want in enumerate(exact):
        if want != want.lower():
            got = text[idx.starts[first + k]:idx.ends[first + k]].replace("’", "'")
            # or its possessive, "LAC's", or written "CiC"
            if got != want and got != want + "'s" and _acronym_key(got) != want:
                return False
    return True


#: an acronym with its one small word's letter in small type: "CiC", "CiN", "DoLS", "DfE"
_SMALL_WORD_INSIDE = re.compile(r"[A-Z]+[a-z][A-Z]+")


def _acronym_key(word: str) -> str:
    """The acronym a word is, for comparing spellings: "CiC" is CIC (so a definition of
    either is one of both); any other word is itself."""
    return word.upper() if _SMALL_WORD_INSIDE.fullmatch(word) else word


def _beyond(rule: Rule, value: float) -> bool:
    if "max" in rule.spec and value > rule.spec["max"]:
        return True
    return "min" in rule.spec and value < rule.spec["min"]


#: between the meanings of an acronym that has more than one ("child protection | cerebral
#: palsy"): the first is the service's, chosen where the acronym names the kind of a
#: meeting, a plan or a team after it ("CP plan", "CG meeting")
_AMBIGUOUS = " | "
_INSTITUTION_NOUNS = frozenset(
    "plan plans conference conferences meeting meetings register enquiry enquiries investigation "
    "investigations review reviews team teams minutes chair procedures process processes concerns "
    "case cases worker workers services service threshold category medical referral referrals "
    "strategy group groups report reports status procedure order orders".split())


def _meanings(expansion: str) -> str:
    """An acronym's meanings for a message: "a", "a or b", "a, b or c"."""
    parts = expansion.split(_AMBIGUOUS)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _one_meaning(expansion: str, after: list[str]) -> str:
    """An ambiguous acronym's meaning where the word after it tells (see ``_AMBIGUOUS``)."""
    if after and after[0] in _INSTITUTION_NOUNS:
        return expansion.split(_AMBIGUOUS)[0]
    return expansion


def _no_drop(rule: str, start: int, end: int, reason: str) -> None:
    return None


def _weight(f: Finding, text: str) -> tuple[int, int]:
    """Which of two overlapping findings of one rule stays: not one that starts inside a
    hyphenated word ("contemplative" in "pre-contemplative"), then the longer."""
    inside = 2 <= f.start <= len(text) and text[f.start - 1] in "-‐‑" and text[f.start - 2].isalpha()
    return (0 if inside else 1, f.end - f.start)


def _back_off(findings: list[Finding], unfit: list[Finding],
              drop: Callable[[str, int, int, str], None]) -> list[Finding]:
    """A longer phrase whose own wording does not fit this sentence gives way to a shorter
    phrase of its rule inside it: "failed to engage with" has drop-ins for a programme or
    a team; before a plan, "failed to engage" speaks, as it would without the longer
    phrase.  (Another rule's words inside it stay shadowed: "Sibling Contact" is one
    label, not "Sibling" and "Contact"; and a phrase given no wording on purpose,
    ``LAC status: []``, is not "unfit" and keeps its words.)"""
    if not unfit:
        return findings
    out = list(findings)
    of_rule: dict[str, list[Finding]] = {}
    for g in findings:
        of_rule.setdefault(g.rule, []).append(g)
    for f in unfit:
        inner = next((g for g in of_rule[f.rule] if f.start <= g.start and g.end <= f.end
                      and (g.start, g.end) != (f.start, f.end)), None)
        if inner is not None:
            out.remove(f)
            drop(f.rule, f.start, f.end, f"its wording does not fit here; '{inner.match}' "
                 f"({inner.rule}) stands instead")
    return out


def resolve_overlaps(findings: list[Finding], ruleset: RuleSet,
                     drop: Callable[[str, int, int, str], None] = _no_drop,
                     text: str = "") -> list[Finding]:
    """Drop a finding that lies inside another (the longer, more specific one stays).

    ``LAC review`` wins over ``LAC``; on the same words a phrase rule wins over the
    generic acronym rule, then the more severe finding.  Partial overlaps of one rule
    keep the longer wording; partial overlaps of different rules both stay.
    """

    def rank(f: Finding) -> tuple[int, int, int, int]:
        kind = ruleset.by_id[f.rule].kind if f.rule in ruleset.by_id else "phrase"
        return (f.start, -(f.end - f.start), _KIND_RANK[kind], -int(f.severity))

    metric = [f for f in findings if f.rule in ruleset.by_id and ruleset.by_id[f.rule].kind == "metric"]
    kept: list[Finding] = []
    last: dict[str, Finding] = {}  # each rule's last kept finding (a rule's never overlap)
    cover_end = -1
    for f in sorted((f for f in findings if f not in metric), key=rank):
        if f.end > f.start and f.end <= cover_end:
            outer = next((k for k in reversed(kept) if k.start <= f.start and k.end >= f.end), None)
            drop(f.rule, f.start, f.end, f"inside '{outer.match}' ({outer.rule})" if outer
                 else "inside a longer finding")
            continue
        same = last.get(f.rule)
        # one finding for one set of words: the longer wording stays
        if same is not None and same.end > f.start:
            if _weight(f, text) <= _weight(same, text):
                drop(f.rule, f.start, f.end, f"overlaps '{same.match}' of the same rule")
                continue
            kept.remove(same)
            drop(same.rule, same.start, same.end, f"overlaps '{f.match}' of the same rule")
        kept.append(f)
        last[f.rule] = f
        cover_end = max(cover_end, f.end)
    return sorted(kept + metric, key=lambda f: (f.start, f.end, f.rule))


#: "s.20" and "s. 20" are "s20"
_SECTION_SPELLING = lazyre.compile(r"(?<=\bs)\.\s?(\d)")


def first_only(findings: list[Finding], ruleset: RuleSet,
               drop: Callable[[str, int, int, str], None] = _no_drop) -> list[Finding]:
    """Keep only the first finding of the same words for rules marked ``once``
    (an acronym or a legal term needs explaining once, not at every use)."""
    # the words reported may have grown to fit the suggestion ("LADO" -> "LADO referral"):
    # the same words inside others are the same words
    seen: dict[str, list[tuple[str, Finding]]] = {}
    out = []
    for f in findings:
        rule = ruleset.by_id.get(f.rule)
        if rule is not None and rule.once:
            key = _SECTION_SPELLING.sub(r"\1", f" {' '.join(f.match.lower().split())} ")
            earlier = next((g for k, g in seen.get(f.rule, ()) if k in key or key in k), None)
            if earlier is not None:
                drop(f.rule, f.start, f.end, f"explained once, at line {earlier.line}")
                continue
            seen.setdefault(f.rule, []).append((key, f))
        out.append(f)
    return out


def stats(doc: Document, idx: TextIndex) -> dict[str, Any]:
    out: dict[str, Any] = {"words": idx.word_count, "sentences": len(idx.sentences())}
    out.update(_readability(doc, idx))
    return out


def _readability(doc: Document, idx: TextIndex) -> dict[str, float]:
    """The document's readability scores, worked out once per check (the grade rule and
    the statistics both read them)."""
    from ..analysis import readability

    if idx.text is not doc.text:
        return readability.scores(doc.text)
    scores = idx.memo.get("readability")
    if scores is None:
        scores = idx.memo["readability"] = readability.scores(doc.text)
    return scores  # type: ignore[return-value]
