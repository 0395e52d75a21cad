"""JSON Schema for rule packs (YAML files).  ``sba-lint rules schema`` prints it."""

from __future__ import annotations

from ..analysis.senses import SENSES

_WORDS = {
    "description": "words or phrases, or '@name' for a wordlist",
    "oneOf": [
        {"type": "string", "pattern": "^@[A-Za-z0-9_.-]+$"},
        {"type": "array", "items": {"type": "string", "minLength": 1}},
    ],
}
_EXAMPLE = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {
                "text": {"type": "string", "minLength": 1},
                "suggest": {"type": "string"},
                "rewrite": {"description": "the sentence with the first suggestion in place",
                            "type": "string"},
                "advice": {"description": "no drop-in fits here: the finding has advice only",
                           "type": "boolean"},
            },
            "required": ["text"],
            "additionalProperties": False,
        },
    ]
}
_SUGGESTION = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"description": "a drop-in that fits only in some sentences: 'after' (one of these "
                        "words within the next six), 'before' (within the four before), "
                        "'not_after' (none within the next four), 'not_before' (none within "
                        "the four before)",
         "type": "object",
         "properties": {"text": {"type": "string", "minLength": 1}, "after": _WORDS,
                        "before": _WORDS, "not_after": _WORDS, "not_before": _WORDS,
                        "not_governed_by": {
                            **_WORDS,
                            "description": "offered only when the matched words do not hang on "
                                           "one of these words (lemmas), as their verb's subject "
                                           "or object, as the noun after them, or through a "
                                           "preposition: 'the placement ended', 'the breakdown "
                                           "of her placement', 'placement stability'"},
                        "subject": {"description": "offered only when the verb's subject is a "
                                                   "child, a child under 16 (who is brought to "
                                                   "appointments), a child the sentence says is "
                                                   "under 16 (the age of consent), an adult, or "
                                                   "not an adult (a child, or nobody named)",
                                    "enum": ["child", "young-child", "under-16", "adult", "not-adult"]},
                        "object": {"description": "offered only when the matched verb has a "
                                              "direct object after it (true: 'failed to attend "
                                              "speech therapy' -> 'was not brought to') or has "
                                              "none (false: 'failed to attend twice' -> 'was "
                                              "not brought')",
                                   "type": "boolean"},
                        "start": {"description": "offered only when the matched words open "
                                           "their sentence or line (true) or do not (false): "
                                           "'As for housing, ...' but 'concerns about housing'",
                                  "type": "boolean"},
                        "used_again": {"description": "offered only when the matched words "
                                                      "occur again later in the document (true) "
                                                      "or do not (false): an acronym's brackets "
                                                      "are worth writing only if it is used again",
                                       "type": "boolean"}},
         "required": ["text"], "additionalProperties": False},
    ]
}
_REPORTED = {
    "description": "in reported speech ('Mum says he is beyond control'): keep the finding, "
                   "make it a note asking for the speaker's exact words (default for deficit "
                   "packs), or skip it",
    "enum": ["keep", "note", "skip"],
}
_UPOS = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON",
    "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
]

RULE = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "kind": {"enum": ["phrase", "pattern", "acronym", "metric"]},
        "category": {"type": "string", "minLength": 1},
        "severity": {"enum": ["error", "warning", "info"]},
        "enabled": {"type": "boolean"},
        "message": {"type": "string", "minLength": 1},
        "suggestions": {"description": "drop-in replacements for the matched words, best "
                                       "first; see 'Writing suggestions' in the README",
                        "type": "array", "items": _SUGGESTION},
        "advice": {"description": "what to do where no drop-in replacement is honest "
                                  "('Say what he said and did')", "type": "string", "minLength": 1},
        "fix": {"enum": ["none", "safe", "unsafe"]},
        "source": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        },
        "note": {"type": "string"},
        "once": {"type": "boolean"},
        "deficit": {"type": "boolean"},
        "reported": _REPORTED,
        # phrase
        "phrases": {
            "type": "array",
            "minItems": 1,
            "items": {"oneOf": [
                {"type": "string", "minLength": 1},
                {"description": "a phrase with its own drop-in suggestions (an empty list: "
                                "none fits, give the advice)",
                 "type": "object", "minProperties": 1, "maxProperties": 1,
                 "additionalProperties": {"oneOf": [
                     {"type": "string", "minLength": 1},
                     {"type": "array", "items": _SUGGESTION}]}},
            ]},
        },
        "inflect": {"enum": ["none", "verb", "noun"]},
        # pattern
        "patterns": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "array", "minItems": 1, "items": {"type": "object"}},
        },
        "triggers": {"type": "array", "items": {"type": "string", "minLength": 1}},
        # acronym
        "acronyms": {
            "oneOf": [
                {"type": "string", "pattern": "^@[A-Za-z0-9_.-]+$"},
                {"type": "object", "additionalProperties": {"type": "string"}},
            ]
        },
        "common": _WORDS,
        "exclude": _WORDS,
        "unknown": {"type": "boolean"},
        # metric
        "metric": {"enum": ["sentence-words", "grade", "reading-ease"]},
        "max": {"type": "number"},
        "min": {"type": "number"},
        # conditions
        "case_sensitive": {"type": "boolean"},
        "pos": {"type": "array", "items": {"enum": _UPOS}, "minItems": 1},
        "not_dep": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "subject": {"description": "who the words must be about: a person the record is about, "
                               "a child (not an adult), or a young child (under 16: brought to "
                               "appointments by an adult)", "enum": ["person", "child", "young-child"]},
        "preceded_by": _WORDS,
        "not_preceded_by": _WORDS,
        "followed_by": _WORDS,
        "not_followed_by": _WORDS,
        "in_quotes": {"type": "boolean"},
        "not_object": {"description": "nouns the matched verb's object must not be "
                                      "('refused the application' is a court's act)", **_WORDS},
        "objects": {"description": "nouns (lemmas), one of which the matched verb's direct object "
                                   "must be ('missed her eye appointment', not 'missed her mum')",
                    **_WORDS},
        "sense": {"description": "the sense the words must have here (a check in analysis/senses.py)",
                  "enum": sorted(SENSES)},
        "examples": {
            "type": "object",
            "properties": {
                "flag": {"type": "array", "items": _EXAMPLE, "minItems": 1},
                "pass": {"type": "array", "items": _EXAMPLE},
            },
            "required": ["flag"],
            "additionalProperties": False,
        },
    },
    "required": ["id", "kind", "message", "examples"],
    "additionalProperties": False,
    "allOf": [
        {"if": {"properties": {"kind": {"const": "phrase"}}},
         "then": {"required": ["phrases"]}},
        {"if": {"properties": {"kind": {"const": "pattern"}}},
         "then": {"required": ["patterns"]}},
        {"if": {"properties": {"kind": {"const": "acronym"}}},
         "then": {"required": ["acronyms"]}},
        {"if": {"properties": {"kind": {"const": "metric"}}},
         "then": {"required": ["metric"], "anyOf": [{"required": ["max"]}, {"required": ["min"]}]}},
    ],
}

PACK = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "sba-lint rule pack",
    "type": "object",
    "properties": {
        "pack": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "category": {"type": "string", "minLength": 1},
        "severity": {"enum": ["error", "warning", "info"]},
        "source": {"type": "string"},
        "deficit": {"type": "boolean"},
        "reported": _REPORTED,
        "once": {"description": "report each wording once per document (a rule may say "
                                "otherwise)", "type": "boolean"},
        "enabled": {"description": "whether the pack's rules are on by default (a rule may say "
                                   "otherwise); off-by-default packs are chosen by profiles or "
                                   "select", "type": "boolean"},
        "rules": {"type": "array", "items": RULE, "minItems": 1},
    },
    "required": ["pack", "category", "rules"],
    "additionalProperties": False,
}
