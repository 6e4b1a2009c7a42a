"""The package's layout is its architecture: layers, imports at the top, a clean public face."""

import ast
import pkgutil
import pydoc
from pathlib import Path

import pytest
import yaml

import vpt

ROOT = Path(vpt.__file__).resolve().parent
GROUND = {"vpt._checks", "vpt._optional", "vpt.data", "vpt.state", "vpt.units", "vpt.seeds", "vpt.readings"}
PARTS = ("market", "privacy", "chain", "theory", "repaired", "book")
#: What each layer may import from vpt, besides the ground (the README's module map says the same).
MAY_IMPORT = {
    "ground": set(),
    "market": {"market"},
    "privacy": {"market", "privacy"},
    "chain": {"market", "chain"},
    "theory": {"market", "theory"},
    "repaired": {"market", "privacy", "chain", "repaired"},
    "book": set(PARTS),
}
#: The only imports allowed inside functions: optional heavy dependencies, each needed by one feature.
OPTIONAL = {"opendp.prelude", "dp_accounting.pld", "matplotlib.axes", "nbformat", "nbclient"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _layer(module: str) -> str:
    if module == "vpt" or module in GROUND:
        return "ground"
    return module.split(".")[1]


def _vpt_imports(tree: ast.AST) -> set[str]:
    """The vpt modules (or packages) a module imports."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "vpt":
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in _modules())
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "vpt")
    return found


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_run_down_the_layers(module):
    tree = ast.parse(_modules()[module].read_text(encoding="utf-8"))
    layer = _layer(module)
    for imported in _vpt_imports(tree):
        if imported == "vpt" or imported in GROUND or _layer(imported) == "ground":
            continue
        assert _layer(imported) in MAY_IMPORT[layer], f"{module} ({layer}) imports {imported}"


@pytest.mark.parametrize(
    "module",
    [
        "vpt.privacy.laws",
        "vpt.privacy.mechanisms",
        "vpt.privacy.repair",
        "vpt.repaired.protocol",
        "vpt.repaired.records",
    ],
)
def test_mechanisms_never_import_the_audit_side(module):
    imported = _vpt_imports(ast.parse(_modules()[module].read_text(encoding="utf-8")))
    assert not imported & {"vpt.privacy.audit", "vpt.privacy.stability", "vpt.book"}, imported


@pytest.mark.parametrize("module", sorted(_modules()))
def test_imports_sit_at_the_top_except_optional_dependencies(module):
    tree = ast.parse(_modules()[module].read_text(encoding="utf-8"))
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                names = {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {node.module or ""}
            else:
                continue
            assert names <= OPTIONAL, f"{module}.{fn.name} imports {names} inside the function (line {node.lineno})"


def test_dir_of_vpt_lists_only_its_subpackages_and_ground_modules():
    public = {m.name for m in pkgutil.iter_modules(vpt.__path__) if not m.name.startswith("_")}
    assert set(dir(vpt)) == public
    assert {
        "market",
        "privacy",
        "chain",
        "theory",
        "repaired",
        "book",
        "data",
        "state",
        "units",
        "seeds",
        "readings",
    } == public


def test_help_of_vpt_summarises_every_subpackage_and_ground_module():
    text = pydoc.render_doc(vpt, renderer=pydoc.plaintext)
    for name in dir(vpt):
        assert f"``vpt.{name}``: " in text, name
    for noise in ("annotations", "importlib", "Any"):
        assert f"\n    {noise}" not in text


@pytest.mark.parametrize("part", PARTS)
def test_each_subpackage_names_its_modules_and_their_public_names(part):
    package = __import__(f"vpt.{part}", fromlist=["__all__"])
    modules = {m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")}
    on_demand = (
        {"sweep", "bench", "claims", "published", "frontier"} if part == "book" else set()
    )  # commands, editorial map
    assert modules - on_demand <= set(package.__all__), f"vpt.{part} does not list {modules - set(package.__all__)}"
    for name in package.__all__:
        obj = getattr(package, name)
        if name in modules:
            continue
        homes = [m for m in modules - on_demand if name in getattr(getattr(package, m), "__all__", ())]
        assert homes, f"vpt.{part}.{name} is in no module's __all__"
        assert all(getattr(getattr(package, m), name) is obj for m in homes)
        assert package.__doc__ and f":mod:`~vpt.{part}." in package.__doc__


def test_the_sweep_knows_the_books_order():
    from vpt.book import sweep

    toc = yaml.safe_load((ROOT.parent / "_toc.yml").read_text(encoding="utf-8"))
    stems = tuple(Path(c["file"]).name for p in toc["parts"] for c in p["chapters"])
    assert stems == sweep.BOOK_ORDER
    assert [c.chapter for c in sweep.CHECKS] == sorted((c.chapter for c in sweep.CHECKS), key=stems.index)
