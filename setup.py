"""The build as pyproject.toml describes it, plus one step: the bundled rule packs are
parsed once and stored as JSON beside them (sba_lint/rules/compiled.py), so that a check
starts without parsing YAML.  An editable install reads the packs from the source tree,
which the build does not write to: run ``sba-lint rules compile`` there if you want it."""

import importlib.util
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


setup(cmdclass={"build_py": BuildPy})
