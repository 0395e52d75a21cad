"""Stage 2, *analysis*: a cheap index of the whole text, and spaCy only where needed.

- :mod:`.text`: words, sentences, quotations and addresses by regular expression;
- :mod:`.nlp`: the spaCy pipeline, loaded once, run on candidate sentences only;
- :mod:`.morph`: English inflection for phrases and suggestions;
- :mod:`.readability`: statistics and textstat's scores, offline and without textstat.
"""

from .text import TextIndex

__all__ = ["TextIndex"]
