"""The layering is a contract: import-linter checks pyproject.toml's [tool.importlinter]."""

import subprocess
import sys

from tests.lab_browser import ROOT

LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def test_the_import_contracts_are_kept():
    # In its own process: grimp reads the source files, not what the tests imported.
    result = subprocess.run([sys.executable, "-c", LINT_IMPORTS, "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    # On failure the tool's own report (which import breaks which contract) is the message.
    assert result.returncode == 0, result.stdout + result.stderr
