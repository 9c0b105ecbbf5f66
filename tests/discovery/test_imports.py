"""Discovery composes the apps; no app (and not the governance core) imports it back."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_app_imports_discovery():
    offenders = []
    for app in ["initiative", "workstreams", "consultations", "webinars"]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "urls.py" and app == "initiative":
                continue  # the project's URL map wires every app, discovery included
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                if any(n == "discovery" or n.startswith("discovery.") for n in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
