"""The build as pyproject.toml describes it, plus one step: the bundled rule packs are
parsed once and stored as JSON beside them (sba_lint/rules/compiled.py), and the rules
built from them kept beside that (sba_lint/rules/snapshot.py), so that a check starts
without parsing YAML or building rules.  An editable install reads the packs from the source tree,
which the build does not write to: run ``sba-lint rules compile`` there if you want it."""

import importlib.util
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        spec = importlib.util.spec_from_file_location(
            "_sba_lint_compiled", HERE / "sba_lint" / "rules" / "compiled.py")
        compiled = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(compiled)
        folder = Path(self.build_lib) / "sba_lint" / "data" / "rules"
        compiled.write(folder, self.distribution.get_version())
        # the rules built from them (sba_lint/rules/snapshot.py), by the code being built:
        # that code needs only the standard library and PyYAML
        sys.path.insert(0, self.build_lib)
        try:
            from sba_lint.rules import snapshot

            snapshot.write(folder, self.distribution.get_version())
        finally:
            sys.path.remove(self.build_lib)


setup(cmdclass={"build_py": BuildPy})
