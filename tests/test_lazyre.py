"""Module-level patterns are compiled on first use (:mod:`sba_lint.lazyre`)."""

import copy
import pickle
import re

from sba_lint import lazyre


def test_compiled_on_first_use_and_answers_as_the_pattern():
    p = lazyre.compile(r"(?i)\bplacement\b")
    assert "_compiled" not in vars(p)
    assert p.search("Her Placement ended").group() == "Placement"
    assert isinstance(vars(p)["_compiled"], re.Pattern)
    assert p.pattern == r"(?i)\bplacement\b" and p.flags & re.IGNORECASE
    assert p.sub("home", "the placement") == "the home"


def test_copy_and_pickle_do_not_recurse():
    p = lazyre.compile(r"\d+", re.ASCII)
    for other in (copy.copy(p), copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert other.findall("a1b22") == ["1", "22"]


def test_the_rewording_and_sense_modules_hold_no_compiled_pattern_after_import():
    from child import run_python

    script = ("import re, sys\n"
              "import sba_lint.rewrite.render, sba_lint.analysis.senses, sba_lint.analysis.mentions\n"
              "mods = ('sba_lint.rewrite.render', 'sba_lint.analysis.senses', 'sba_lint.analysis.mentions')\n"
              "print(sum(1 for m in mods for v in vars(sys.modules[m]).values()"
              " if isinstance(v, re.Pattern)))")
    assert run_python(script, timeout=120).strip() == "0"
