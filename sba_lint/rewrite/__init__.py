"""Rewording that fits the sentence: suggestions rendered into the matched slot, then
checked by reading the sentence again.

- :mod:`.casing`: the matched words' casing (lower, Capitalised, ALL CAPS, Title Case)
  carried over to the suggestion;
- :mod:`.verbs`: the verb group around a match (modal, perfect, progressive, passive,
  tense, the subject's person and number) and a verb conjugated to fill it;
- :mod:`.render`: a rule's suggestion template rendered into a replacement of exactly
  the words it changes;
- :mod:`.agreement`: the sentence read again after the replacement; a suggestion that
  breaks agreement (subject and verb, determiner and noun, auxiliary and participle) is
  dropped before anybody sees it.
"""

from .render import Rewrite, render

__all__ = ["Rewrite", "render"]
