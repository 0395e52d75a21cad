"""The build as pyproject.toml describes it, plus one step: the bundled rule packs are
parsed once and stored as JSON beside them (sba_lint/rules/compiled.py), and the rules
built from them kept beside that (sba_lint/rules/snapshot.py), so that a check starts
without parsing YAML or building rules.  An editable install reads the packs from the
source tree, which the build does not write to: run ``sba-lint rules compile`` there if
you want it."""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        # the code being built does it: these modules need only the standard library and
        # PyYAML, which the build has
        sys.path.insert(0, self.build_lib)
        try:
            from sba_lint.rules import compiled, snapshot

            folder = Path(self.build_lib) / "sba_lint" / "data" / "rules"
            compiled.write(folder, self.distribution.get_version())
            snapshot.write(folder, self.distribution.get_version())
        finally:
            sys.path.remove(self.build_lib)


setup(cmdclass={"build_py": BuildPy})
