"""spaCy is imported without its CLI (nlp._import_spacy_without_cli), and nothing of that shows afterwards."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from factcheck.nlp import build_pipeline
assert "spacy" in sys.modules
assert "spacy.cli" not in sys.modules and "spacy.cli.info" not in sys.modules, "stand-ins left behind"
doc = build_pipeline()("It paid $2.5bn, up 4%.")
assert [t.text for t in doc] == ["It", "paid", "$", "2.5bn", ",", "up", "4", "%", "."], [t.text for t in doc]
import spacy.cli
from spacy.cli.info import info
assert callable(info) and spacy.cli.info is not None
print("ok")
"""


def test_spacy_imports_without_its_cli_and_the_cli_still_loads_when_asked() -> None:
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
