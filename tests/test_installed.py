"""sba_lint/installed.py: the two facts about installed distributions read from their
metadata folders, the same as importlib.metadata gives, and no answer where it cannot
be sure.

Each case runs in a fresh interpreter, as sba-lint starts: libraries the test suite has
imported by now (Dask brings the importlib_metadata backport, which replaces Python's
own finder of distributions) would otherwise decide the answer."""

from __future__ import annotations

import json
import zipfile

from child import run_python


def _run(code: str, *path: str) -> object:
    prelude = "import json, sys\nsys.path[:0] = json.loads(sys.argv[1])\nfrom sba_lint import installed\n"
    return json.loads(run_python(prelude + code, json.dumps(list(path))))


def test_versions_are_what_importlib_metadata_reads():
    code = ("from importlib import metadata\n"
            "names = ['PyYAML', 'pyyaml', 'click', 'spacy']\n"
            "print(json.dumps([[installed.version(n), metadata.version(n)] for n in names]"
            " + [installed.version('no-such-distribution-here')]))")
    *pairs, missing = _run(code)
    assert all(mine == theirs for mine, theirs in pairs), pairs
    assert missing is None


def test_a_group_is_declared_when_a_distribution_names_it(tmp_path):
    info = tmp_path / "acme-2.0.dist-info"
    info.mkdir()
    (info / "entry_points.txt").write_text("[sba_lint.tests.acme]\nacme = acme\n")
    code = ("print(json.dumps([installed.declares('console_scripts'),"
            " installed.declares('sba_lint.tests.nothing'), installed.declares('sba_lint.tests.acme'),"
            " installed.version('acme')]))")
    assert _run(code, str(tmp_path)) == [True, False, True, "2.0"]
    assert _run(code) == [True, False, False, None]


def test_no_answer_where_distributions_may_hide(tmp_path):
    """A zip on the path may hold metadata these folders do not show, and so may an
    import finder of another kind that finds distributions: the caller asks
    importlib.metadata."""
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("acme-1.0.dist-info/entry_points.txt", "[sba_lint.rules]\nacme = acme\n")
    code = "print(json.dumps([installed.declares('sba_lint.rules'), installed.version('acme')]))"
    assert _run(code, str(archive)) == [None, None]
    finder = ("class Finder:\n    find_spec = staticmethod(lambda *a, **k: None)\n"
              "    find_distributions = staticmethod(lambda *a, **k: iter(()))\n"
              "sys.meta_path.append(Finder)\n")
    assert _run(finder + "print(json.dumps(installed.declares('console_scripts')))") is None


def test_a_first_match_without_a_version_gives_no_answer(tmp_path):
    """importlib.metadata reads the first distribution of that name on the path: where its
    folder's name holds no version, or it is an old-style metadata file, this cannot say
    which version it reads, and says nothing."""
    bare = tmp_path / "bare"
    (bare / "PyYAML.egg-info").mkdir(parents=True)
    old = tmp_path / "old"
    old.mkdir()
    (old / "PyYAML-3.13-py3.11.egg-info").write_text("Metadata-Version: 1.0\nName: PyYAML\nVersion: 3.13\n")
    code = "print(json.dumps(installed.version('PyYAML')))"
    assert _run(code, str(bare)) is None
    assert _run(code, str(old)) is None
