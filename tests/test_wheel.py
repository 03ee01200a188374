"""The built wheel carries the rule pages and the configuration schema: `wflint rule` works
from an installed copy, far from the checkout."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(cmd, **kwargs):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        cmd.append("--no-build-isolation")  # the build backend is installed: no download needed
    _run(cmd)
    (built,) = out.glob("wflint-*.whl")
    return built


def test_wheel_contains_every_rule_page_and_the_schema(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    pages = sorted(p.name for p in (ROOT / "rules").glob("*.md"))
    assert pages and all(f"wflint/rule_docs/{name}" in names for name in pages)
    assert "wflint/config_schema.json" in names


def test_rule_page_prints_from_an_installed_wheel(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    # The dependencies come from the environment running the tests (a venv or not), so
    # nothing is downloaded: a .pth file appends its library folders to the new venv's path.
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "_wflint_test_deps.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", "--no-index", str(wheel)])
    where = _run([str(python), "-c", "import wflint; print(wflint.__file__)"], cwd=tmp_path).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), where
    exe = bindir / ("wflint.exe" if os.name == "nt" else "wflint")
    page = _run([str(exe), "rule", "missing-timeout"], cwd=tmp_path).stdout
    expected = (ROOT / "rules" / "missing-timeout.md").read_text(encoding="utf-8")
    assert page.startswith("missing-timeout (WFL003)\n========================\n")
    for heading in ("What it does", "Why it costs", "Example", "Use instead", "Fix", "Options"):
        assert f"\n{heading}\n" in page
    assert "    timeout-minutes: 30" in page  # the examples, indented as code
    assert expected.splitlines()[2] in page
    # And a configuration file is validated with the schema shipped in the wheel.
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".wflint.toml").write_text("[missing-timeout]\ndefault = 0\n")
    proc = subprocess.run([str(exe), "--no-cache"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "missing-timeout.default: expected an integer ≥ 1, got 0" in proc.stderr
