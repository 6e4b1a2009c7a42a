"""The package as a user installs it: a wheel in a fresh environment, its declared dependencies, one extra at a time.

Builds the wheel from this clone, installs it with uv into a new virtual
environment that has nothing but what ``pyproject.toml`` declares (versions held
to the lock's), and checks there: every module imports; the optional parts name
their extra while it is missing and work once it is installed; the README's
quick-start runs; the shipped data and the published benchmark table load from
the installed package, not from the clone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import vpt

ROOT = Path(__file__).resolve().parents[1]
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")

#: What runs inside the fresh environment before any extra: imports, the extras' messages, the data, the README.
CORE = """
import doctest, importlib, pkgutil, sys
from pathlib import Path
import vpt
assert vpt.__version__ == {version!r}, vpt.__version__
assert "site-packages" in vpt.__file__, vpt.__file__  # the installed package, not the clone
names = [m.name for m in pkgutil.walk_packages(vpt.__path__, "vpt.") if ".__main__" not in m.name]
for name in names:
    importlib.import_module(name)
print("modules", len(names))
for call, extra in (
    (lambda: vpt.privacy.accounting.pld_epsilon([("laplace", 1.0, 1)], 1e-6), "privacy"),
    (lambda: vpt.privacy.repair.select_price([0.0, 1.0], 1.0), "privacy"),
    (lambda: vpt.book.plotting.plot_demand_with_states(None, None, None, None), "plot"),
    (lambda: vpt.book.parallel.run_tasks(pow, [(2, 3)], workers=1), "parallel"),
):
    try:
        call()
    except ImportError as err:
        assert f"pip install 'vpt[{{extra}}]'" in str(err), err
    else:
        raise AssertionError("an optional part ran without its extra")
book = vpt.book.book_data()
assert book.homes.n_homes == 100 and "site-packages" in str(vpt.data.shipped_path())
assert vpt.market.incentives.published_gain_from_trade()
result = doctest.testfile({readme!r}, module_relative=False, optionflags=doctest.ELLIPSIS)
assert result.attempted >= 8 and result.failed == 0, result
print("core ok")
"""

#: What runs once an extra is installed.
EXTRA = {
    "privacy": """
import vpt
eps = vpt.privacy.accounting.pld_epsilon([("laplace", 1.0, 1)], 1e-6)
assert 0.9 < eps <= 1.0 + 1e-3, eps
assert vpt.privacy.repair.select_price([0.0, 5.0], 0.01) == 1
print("privacy ok")
""",
    "parallel": """
import vpt
if __name__ == "__main__":
    assert vpt.book.parallel.run_tasks(pow, [(2, 3), (3, 2)], workers=1) == [8, 9]
    print("parallel ok")
""",
    "plot": """
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import vpt
fig, ax = plt.subplots()
book = vpt.book.book_data()
homes = book.homes
days = homes.timestamps[:48]
demand = np.linspace(0.0, 3.0, 48)
limits = vpt.state.limits_from_quantiles(demand)
vpt.book.plotting.plot_demand_with_states(ax, days, demand, limits)
print("plot ok")
""",
}


def _run(args: list[str], cwd: Path, **env: str) -> str:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, **env}, timeout=600)
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def _constraints(tmp: Path) -> Path:
    """The lock's pins without hashes (uv applies them as constraints to the wheel's declared dependencies)."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+==[^\s\\]+(?: ; [^\\\n]+)?)", (ROOT / "requirements.lock").read_text(), re.M)
    out = tmp / "constraints.txt"
    out.write_text("\n".join(p.strip() for p in pins) + "\n")
    return out


def test_the_wheel_works_in_a_fresh_environment_with_one_extra_at_a_time(tmp_path):
    assert UV is not None, "uv is not installed: it is in requirements.lock (./scripts/test installs it)"
    src = tmp_path / "src"  # built from a copy: setuptools writes build/ beside the sources, not in the clone
    shutil.copytree(ROOT / "vpt", src / "vpt", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-TEXT.md"):
        shutil.copy(ROOT / name, src / name)
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    _run([*pip_wheel, "-w", str(tmp_path), str(src)], tmp_path)
    wheel = next(tmp_path.glob("vpt-*.whl"))
    assert wheel.name.startswith(f"vpt-{vpt.__version__}-")
    env = tmp_path / "env"
    _run([UV, "venv", "--quiet", "--python", sys.executable, str(env)], tmp_path)
    python = str(env / "bin" / "python")
    constraints = _constraints(tmp_path)
    install = [UV, "pip", "install", "--quiet", "--python", python, "-c", str(constraints)]
    _run([*install, str(wheel)], tmp_path)
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    work = tmp_path / "elsewhere"  # run away from the clone, so nothing imports from it
    work.mkdir()
    script = CORE.format(version=vpt.__version__, readme=str(tmp_path / "README.md"))
    out = _run([python, "-c", textwrap.dedent(script)], work, PYTHONHASHSEED="0")
    assert "core ok" in out
    for extra, check in EXTRA.items():
        _run([*install, f"{wheel}[{extra}]"], tmp_path)
        assert f"{extra} ok" in _run([python, "-c", textwrap.dedent(check)], work, PYTHONHASHSEED="0")
