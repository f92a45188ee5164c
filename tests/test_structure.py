"""The apps import one way: delegations ← debates ← drafting ← search ← jobs, with lib below them
all."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "debateprep"
LAYERS = ["lib", "delegations", "debates", "drafting", "search", "jobs"]


def imported_apps(app: str) -> set[str]:
    found = set()
    for path in (PACKAGE / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += (
                [alias.name for alias in getattr(node, "names", [])]
                if isinstance(node, ast.Import)
                else []
            )
            found |= {name.split(".")[1] for name in names if name.startswith("debateprep.")}
    return found & set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    below = set(LAYERS[: LAYERS.index(app) + 1])
    assert imported_apps(app) <= below
