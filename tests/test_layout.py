"""The layout holds: imports run one way (governance ← workstreams ← consultations ← webinars), the
governance core imports no app built on it, and no module is named with a layer or sub-domain prefix
(`views_workflow.py`, `framework_models.py`); docs/ARCHITECTURE.md opens with the map these rules come
from."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# An app may import the apps before it in this order, never those after it.
APPS = ("initiative", "workstreams", "consultations", "webinars", "discovery")

# initiative's wiring: the modules that compose the apps (settings, URL map, Celery app, servers, the site
# pages and their context). Every other module of initiative is the governance core.
WIRING = {
    "initiative.settings",
    "initiative.urls",
    "initiative.celery",
    "initiative.wsgi",
    "initiative.asgi",
    "initiative.views",
    "initiative.context_processors",
}

LAYERS = (
    "models",
    "services",
    "selectors",
    "views",
    "forms",
    "tasks",
    "api",
    "admin",
    "demo",
    "urls",
    "rules",
)
SUBDOMAINS = (
    "drafts",
    "comments",
    "comment",
    "reviews",
    "workflow",
    "approvals",
    "publication",
    "framework",
    "lifecycle",
    "prioritization",
    "sessions",
    "tracker",
    "glossary",
)
PREFIXED = re.compile(rf"^(({'|'.join(LAYERS + SUBDOMAINS)})_\w+|\w+_({'|'.join(LAYERS)}))$")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(root: Path, path: Path) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in the file, relative ones resolved, lazy ones included."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def app_files(root: Path):
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def direction_violations(root: Path) -> list[str]:
    bad = []
    for app, path in app_files(root):
        name = module_name(root, path)
        if name in WIRING:
            continue
        for line, target in imported_modules(root, path):
            other = target.split(".")[0]
            if other in APPS and APPS.index(other) > APPS.index(app):
                bad.append(f"{path.relative_to(root)}:{line} imports {target} ({app} may not import {other})")
    return bad


def prefixed_modules(root: Path) -> list[str]:
    bad = []
    for _app, path in app_files(root):
        if {"templatetags", "management"} & set(path.parts):
            continue  # Django's naming: `<library>_tags`, `manage.py <command>`
        if PREFIXED.match(path.stem):
            bad.append(str(path.relative_to(root)))
    return bad


def test_imports_run_one_way():
    """No module imports an app after its own in governance ← workstreams ← consultations ← webinars;
    initiative's core imports none of the other apps (only its wiring composes them)."""
    assert direction_violations(ROOT) == []


def test_no_prefix_named_modules():
    """Each layer is a package and each sub-domain a module in it: no `views_x.py`, `x_tasks.py`,
    `framework_x.py`, `urls_x.py` or `app_urls.py` is left."""
    assert prefixed_modules(ROOT) == []


def test_the_architecture_doc_opens_with_the_map():
    """docs/ARCHITECTURE.md starts with the map of the apps, their sub-domains and the import rules."""
    head = (ROOT / "docs" / "ARCHITECTURE.md").read_text()[:4000]
    assert head.startswith("# ")
    for word in APPS + ("governance ← workstreams ← consultations ← webinars", "tests/test_layout.py"):
        assert word in head


def _tree(tmp_path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for app in APPS:
        (tmp_path / app).mkdir(exist_ok=True)
    return tmp_path


@pytest.mark.parametrize(
    ("rel", "text", "allowed"),
    [
        ("initiative/rules.py", "def f():\n    from workstreams.models import Enrollment\n", False),
        ("initiative/services.py", "import consultations.models\n", False),
        ("workstreams/models/x.py", "from consultations.models import Review\n", False),
        ("consultations/services/x.py", "from webinars import services\n", False),
        ("workstreams/services/x.py", "from initiative import audit\nfrom ..models import Track\n", True),
        ("consultations/views/x.py", "from workstreams.models import Deliverable\n", True),
        ("webinars/views.py", "from consultations import selectors\n", True),
        ("initiative/urls.py", "from consultations import api\n", True),
        ("initiative/views.py", "from workstreams import selectors\n", True),
    ],
)
def test_the_direction_check_catches_a_backward_import(tmp_path, rel, text, allowed):
    """The checker itself: a backward import (lazy ones too) is reported; forward ones and the wiring's
    are not."""
    root = _tree(tmp_path, {rel: text})
    assert (direction_violations(root) == []) is allowed


@pytest.mark.parametrize(
    ("rel", "flagged"),
    [
        ("consultations/views_workflow.py", True),
        ("consultations/workflow_tasks.py", True),
        ("consultations/comment_forms.py", True),
        ("workstreams/framework_models.py", True),
        ("consultations/urls_workflow.py", True),
        ("initiative/app_urls.py", True),
        ("consultations/views/workflow.py", False),
        ("workstreams/templatetags/framework_tags.py", False),
        ("consultations/paragraphs.py", False),
    ],
)
def test_the_prefix_check_catches_a_prefix_named_module(tmp_path, rel, flagged):
    """The checker itself: layer- or sub-domain-prefixed module names are reported, Django's
    `templatetags/<library>_tags.py` and per-layer packages are not."""
    root = _tree(tmp_path, {rel: ""})
    assert bool(prefixed_modules(root)) is flagged
