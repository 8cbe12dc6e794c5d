"""The layers of docs/architecture.md hold: no import crosses them, and no module imports
itself through others (an import circle), counting imports inside functions too."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "api", "governance", "initiatives", "digests", "webhooks", "notifications")


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- the project's own tool on its own tree
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


# Run in a process of its own: this one has the real packages imported already, and grimp
# finds a package where Python would import it from.
_CIRCLES = """
import json, sys

import grimp

graph = grimp.build_graph(*sys.argv[1:], cache_dir=None)
circles = []
for module in sorted(graph.modules):
    for imported in sorted(graph.find_modules_directly_imported_by(module)):
        back = graph.find_shortest_chain(importer=imported, imported=module)
        if back:
            circles.append([module, *back])
print(json.dumps(circles))
"""


def _import_circles(tree: Path) -> list[tuple[str, ...]]:
    result = subprocess.run(  # noqa: S603 -- the project's own interpreter on its own tree
        [sys.executable, "-c", _CIRCLES, *PACKAGES],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [tuple(circle) for circle in json.loads(result.stdout)]


def test_no_import_crosses_the_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_imports_itself_through_others():
    assert _import_circles(ROOT) == []


def _copy_of_the_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tree / package, ignore=shutil.ignore_patterns("__pycache__", "locale")
        )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_checks_catch_a_crossing_and_a_circle(tmp_path):
    """Each check can fail: the frame reaching into the records, and a circle, are found."""
    tree = _copy_of_the_tree(tmp_path)
    (tree / "governance" / "reaches_up.py").write_text("from initiatives.models import Initiative\n")
    crossing = _lint_imports(tree)
    assert crossing.returncode != 0
    assert "governance.reaches_up -> initiatives.models" in crossing.stdout

    (tree / "initiatives" / "circle_a.py").write_text("from initiatives import circle_b\n")
    (tree / "initiatives" / "circle_b.py").write_text("def later():\n    from initiatives import circle_a\n")
    circles = _import_circles(tree)
    assert ("initiatives.circle_a", "initiatives.circle_b", "initiatives.circle_a") in circles
