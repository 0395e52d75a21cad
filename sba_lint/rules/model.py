"""Rules as loaded from packs: what to match, when, and what to say."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..findings import Severity

_MARK = re.compile(r"\[\[(.+?)\]\]")


@dataclass(frozen=True)
class Example:
    """A sentence from a rule's ``examples``.

    In a pack, ``[[...]]`` may mark exactly the words that must be matched.
    """

    text: str
    span: tuple[int, int] | None = None
    suggest: str | None = None  # words one of the suggestions must hold
    rewrite: str | None = None  # the sentence with the first suggestion in place
    advice_only: bool = False  # no honest drop-in here: no suggestion, only advice

    @classmethod
    def parse(cls, raw: str | dict[str, Any]) -> Example:
        fields = {} if isinstance(raw, str) else raw
        text = raw if isinstance(raw, str) else raw["text"]
        extra = (fields.get("suggest"), fields.get("rewrite"), bool(fields.get("advice", False)))
        m = _MARK.search(text) if "[[" in text else None
        if not m:
            return cls(text, None, *extra)
        plain = text[: m.start()] + m.group(1) + text[m.end():]
        return cls(plain, (m.start(), m.start() + len(m.group(1))), *extra)


#: in ``preceded_by``, the start of a sentence or a line: "Looked-after children are ..."
START = "<start>"


@dataclass(frozen=True)
class Conditions:
    """When a match counts.  Word lists hold word sequences (tuples of lower-case words)."""

    case_sensitive: bool = False
    preceded_by: tuple[tuple[str, ...], ...] = ()
    not_preceded_by: tuple[tuple[str, ...], ...] = ()
    followed_by: tuple[tuple[str, ...], ...] = ()
    not_followed_by: tuple[tuple[str, ...], ...] = ()
    pos: frozenset[str] = frozenset()
    not_dep: frozenset[str] = frozenset()
    subject: str | None = None
    in_quotes: bool = False
    sense: str | None = None  # a named sense check in analysis/senses.py ("family-time")
    not_object: frozenset[str] = frozenset()  # the verb's object is none of these nouns
    objects: frozenset[str] = frozenset()  # the verb's object is one of these nouns

    @property
    def needs_parse(self) -> bool:
        """Whether checking these conditions needs the tagger and parser."""
        return bool(self.pos or self.not_dep or self.subject or self.sense or self.not_object
                    or self.objects)

    @property
    def window(self) -> int:
        lists = self.preceded_by + self.not_preceded_by + self.followed_by + self.not_followed_by
        return max((len(p) for p in lists), default=0)


@dataclass
class Rule:
    id: str
    pack: str
    kind: str
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...]  # drop-in replacements for the matched words (templates)
    fix: str
    source: tuple[str, ...]
    enabled: bool
    conditions: Conditions
    spec: dict[str, Any]
    flag: tuple[Example, ...]
    ok: tuple[Example, ...]
    file: str
    note: str = ""
    inflect: str = "none"
    once: bool = False  # report only the first occurrence of the same words in a document
    deficit: bool = False  # counts against strengths in the document's balance
    #: in reported speech ("Mum says he is beyond control"): keep, note (info, quote them) or skip
    reported: str = "keep"
    data: dict[str, Any] = field(default_factory=dict)
    #: what to do when no honest drop-in exists ("Say what he said and did")
    advice: str = ""

    @property
    def name(self) -> str:
        return self.id.split(".", 1)[1]

    @property
    def needs_parse(self) -> bool:
        return self.kind == "pattern" or self.conditions.needs_parse
