"""The spaCy pipeline as sba-lint runs it gives what the model's own pipeline gives."""

from __future__ import annotations

import json
from pathlib import Path

from sba_lint.analysis import lemmatizer, nlp, ruler

DATA = Path(__file__).parent / "data"
#: words the model's rarer attribute patterns are about: contractions, "gonna", spaces
ODD = [
    "Y'all gonna be there? Let's go, c'mon! It ain't nothin' like 'em. I gotta go.",
    "I'll see. She'll say it's yours and ours, not theirs; they shan't mind themselves.",
    "Doin' goin' somethin' ol' 'nuff. He does. It did it. I saw you and it. Ask me, not I.",
    "There's two. There are ones who'd know.  \n\n  Then \t a  gap. but then, but.",
    "", " ", "\n", "A #tag, an AFX-word & 100% 'quoted' \"words\" -- etc.",
]


def _texts() -> list[str]:
    texts = list(ODD)
    for path in sorted(DATA.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                texts += [v for v in case.values() if isinstance(v, str) and v.strip()]
    return list(dict.fromkeys(texts))


def _tokens(doc):
    return [(t.text, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, str(t.morph)) for t in doc]


def test_fast_attribute_ruler_gives_the_models_own_results():
    pipeline = nlp.load()
    assert ruler.FACTORY in pipeline.pipe_names and "attribute_ruler" not in pipeline.pipe_names
    texts = _texts()
    assert len(texts) > 1000
    _same_as_spacys(pipeline, ruler.FACTORY, "attribute_ruler", texts)
    assert pipeline.pipe_names[-2:] == [ruler.FACTORY, lemmatizer.FACTORY]


def _same_as_spacys(pipeline, ours: str, theirs: str, texts: list[str]) -> None:
    """The pipeline gives the same tokens with spaCy's component ``theirs`` in place of
    its stand-in ``ours``."""
    fast = [_tokens(d) for d in pipeline.pipe(texts)]
    with pipeline.select_pipes(disable=[ours]):
        pipeline.enable_pipe(theirs)
        try:
            own = [_tokens(d) for d in pipeline.pipe(texts)]
        finally:
            pipeline.disable_pipe(theirs)
    differ = [t for t, a, b in zip(texts, fast, own, strict=True) if a != b]
    assert not differ, differ[:3]


def test_fast_lemmatizer_gives_the_models_own_lemmas():
    pipeline = nlp.load()
    assert lemmatizer.FACTORY in pipeline.pipe_names and "lemmatizer" not in pipeline.pipe_names
    _same_as_spacys(pipeline, lemmatizer.FACTORY, "lemmatizer", _texts())
    # what it remembers is a decision per part of speech and morphology, no word
    remembered = pipeline.get_pipe(lemmatizer.FACTORY)._how
    assert remembered and all(isinstance(p, int) and isinstance(m, int) for p, m in remembered)
    assert len(remembered) < 1000


def test_a_lemmatizer_with_rules_of_its_own_is_left_in_place():
    import spacy
    from spacy.pipeline import Lemmatizer

    class OwnRules(Lemmatizer):
        def rule_lemmatize(self, token):
            return [token.text.upper()]

    blank = spacy.blank("en")
    blank.add_pipe("tagger")
    blank.add_pipe("lemmatizer", config={"mode": "rule"})
    assert not lemmatizer.install(spacy.blank("en"))  # none at all
    plain = blank.get_pipe("lemmatizer")
    plain.__class__ = OwnRules
    assert not lemmatizer.install(blank) and "lemmatizer" in blank.pipe_names
    plain.__class__ = Lemmatizer
    plain._mode = "lookup"
    assert not lemmatizer.install(blank) and lemmatizer.FACTORY not in blank.pipe_names


def test_patterns_it_cannot_read_are_left_to_spacy():
    import spacy

    blank = spacy.blank("en")
    original = blank.add_pipe("attribute_ruler")
    original.add([[{"LOWER": "cats", "OP": "+"}]], {"LEMMA": "cat"})  # an operator
    original.add([[{"SHAPE": "Xxxx"}]], {"LEMMA": "name"})  # another attribute
    original.add([[{"LOWER": {"IN": ["dogs"]}}]], {"LEMMA": "dog"})
    fast = ruler.FastAttributeRuler(original)
    assert fast.has_rest and [i for i, _ in fast.single] == [2]
    doc = fast(blank.make_doc("Cats cats and dogs"))
    assert [t.lemma_ for t in doc] == ["name", "cat", "", "dog"]


def test_parse_cache_is_bounded_and_gives_what_parsing_again_gives(monkeypatch):
    monkeypatch.setattr(nlp, "CACHE_SIZE", 4)
    nlp.clear_cache()
    texts = ["Mum refused to sign.", "Dad was late.", "Mum refused to sign.", "The school called."]
    first = nlp.parse(texts)
    assert first[0] is first[2]
    again = nlp.parse(texts[:1])
    assert again[0] is first[0]  # from the cache
    nlp.parse([f"Sentence {k} is here." for k in range(6)])
    assert len(nlp._cache) == 4 and texts[0] not in nlp._cache
    fresh = nlp.parse(texts[:1])[0]
    assert fresh is not first[0] and _tokens(fresh) == _tokens(first[0])
    nlp.clear_cache()


def test_by_default_no_sentence_is_kept_after_a_check(monkeypatch):
    from sba_lint import Linter

    monkeypatch.setattr(nlp, "CACHE_SIZE", nlp._cache_size(None))
    nlp.clear_cache()
    result = Linter().check_text("Mum has failed to engage with the parenting course since May.")
    assert result.findings  # the sentence needed the parser
    assert not nlp._cache


def test_the_parse_cache_size_from_the_environment_is_a_whole_number_or_nothing():
    assert nlp._cache_size("64") == 64
    assert [nlp._cache_size(v) for v in (None, "", "0", "-3", "lots", "1.5")] == [0] * 6


def test_the_rulers_memo_keeps_no_word_of_a_document():
    pipeline = nlp.load()
    fast = pipeline.get_pipe(ruler.FACTORY)
    pipeline("Mrs Quillfeather ain't nothin' like y'all said about Zanzibarine.")
    words = {w for key in fast._memo for w in (key[1],) if isinstance(w, str)}
    assert "quillfeather" not in words and "zanzibarine" not in words
    assert words <= fast.named  # only words the model's own patterns name


def test_numpys_blas_gives_what_blis_gives():
    """The pipeline multiplies with NumPy's BLAS, on one thread (nlp._load): the model as
    spaCy loads it, with BLIS, tags and parses the project's texts exactly alike."""
    import importlib

    from thinc.api import NumpyOps

    pipeline = nlp.load()
    layers = [n for _, c in pipeline.pipeline if getattr(c, "model", None) is not None
              for n in c.model.walk()]
    assert layers and all(isinstance(n.ops, NumpyOps) and not n.ops.use_blis for n in layers)
    name = next(m for m in nlp.MODEL_NAMES if importlib.util.find_spec(m))
    own = importlib.import_module(name).load(exclude=nlp._EXCLUDE)  # BLIS, spaCy's default
    assert any(getattr(n.ops, "use_blis", False) for _, c in own.pipeline
               if getattr(c, "model", None) is not None for n in c.model.walk())
    texts = _texts()
    ours = [_tokens(d) for d in nlp.parse(texts)]
    theirs = [_tokens(d) for d in own.pipe(texts)]
    differ = [t for t, a, b in zip(texts, ours, theirs, strict=True) if a != b]
    assert not differ, differ[:3]


def test_a_parse_runs_on_one_blas_thread_and_gives_the_setting_back():
    from threadpoolctl import ThreadpoolController

    nlp.load()
    controller = ThreadpoolController()
    before = [lib["num_threads"] for lib in controller.info() if lib["user_api"] == "blas"]
    seen = []
    real = nlp._blas.limit

    def limit(**kw):
        seen.append(kw)
        return real(**kw)

    nlp._blas.limit = limit
    try:
        nlp.clear_cache()
        nlp.parse(["Mum came to the meeting on one BLAS thread."])
    finally:
        del nlp._blas.limit
    assert seen == [{"limits": 1, "user_api": "blas"}]
    assert [lib["num_threads"] for lib in controller.info() if lib["user_api"] == "blas"] == before


def test_parses_in_several_threads_keep_one_thread_and_give_the_setting_back():
    """Two parses that overlap (A starts, B starts, A ends, B ends): B still runs on one
    BLAS thread, and the process's setting is back only when both are done."""
    from threadpoolctl import ThreadpoolController

    nlp.load()
    controller = ThreadpoolController()

    def threads():
        return [lib["num_threads"] for lib in controller.info() if lib["user_api"] == "blas"]

    before = threads()
    a, b = nlp._one_blas_thread(), nlp._one_blas_thread()
    a.__enter__()
    b.__enter__()
    a.__exit__(None, None, None)
    assert set(threads()) == {1}
    b.__exit__(None, None, None)
    assert threads() == before


def _python(code: str, path: str | None = None) -> dict:
    """Run ``code`` in a new interpreter (spaCy not yet imported) and read back the JSON it
    prints last."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    if path:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [path, env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_spacy_is_loaded_without_its_command_line_which_stays_importable():
    seen = _python(
        "import json, sys\n"
        "from sba_lint.analysis import nlp\n"
        "doc = nlp.load()('Lola has contact with Dad on Monday.')\n"
        "before = sorted(m for m in ('spacy.cli', 'spacy.cli.info', 'weasel', 'typer', 'httpx')"
        " if m in sys.modules)\n"
        "import spacy\n"
        "own = 'cli' in vars(spacy)\n"
        "about = spacy.info(silent=True)\n"
        "attribute = spacy.cli.download.__module__\n"
        "from spacy import cli\n"
        "print(json.dumps({'before': before, 'own': own, 'deps': [t.dep_ for t in doc],\n"
        "  'version': about['spacy_version'], 'download': callable(cli.download),\n"
        "  'real': cli.__file__.endswith('__init__.py'), 'attribute': attribute}))\n"
    )
    assert seen["before"] == []  # none of the command line came in with the model
    assert seen["own"] is False  # no stand-in left on the package
    assert seen["deps"][:3] == ["nsubj", "ROOT", "dobj"]
    assert seen["version"].startswith("3.")  # spacy.info is spaCy's own, when called
    assert seen["download"] and seen["real"]
    assert seen["attribute"] == "spacy.cli.download"  # spacy.cli as an attribute, imported then


def test_spacy_already_imported_is_used_as_it_is():
    seen = _python(
        "import json, spacy, sys\n"
        "from sba_lint.analysis import nlp\n"
        "print(json.dumps({'same': nlp.import_spacy() is spacy,"
        " 'cli': 'spacy.cli' in sys.modules}))\n"
    )
    assert seen == {"same": True, "cli": True}


def test_a_spacy_that_wants_more_of_its_command_line_is_imported_as_it_is(tmp_path):
    # a stand-in 'spacy' whose __init__ takes more than ``info`` from its command line
    package = tmp_path / "spacy"
    (package / "cli").mkdir(parents=True)
    (package / "__init__.py").write_text("from .cli.info import info\nfrom .cli import app\n")
    (package / "cli" / "__init__.py").write_text("app = 'the command line'\n")
    (package / "cli" / "info.py").write_text("def info():\n    return 'real info'\n")
    seen = _python(
        "import json\n"
        "from sba_lint.analysis import nlp\n"
        "spacy = nlp.import_spacy()\n"
        "print(json.dumps({'app': spacy.app, 'info': spacy.info(), 'cli': spacy.cli.app}))\n",
        path=str(tmp_path),
    )
    assert seen == {"app": "the command line", "info": "real info", "cli": "the command line"}
