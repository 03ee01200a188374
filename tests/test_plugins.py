"""Third-party rules through the `wflint.rules` entry-point group, run end to end.

Each test writes a tiny distribution — a module and its ``.dist-info`` (METADATA and
entry_points.txt), exactly what pip would install — into a temporary folder put on
PYTHONPATH, and runs wflint in a subprocess.  No network, no pip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[1] / "src")

PLUGIN = '''
from wflint.finding import Finding
from wflint.rules import Rule
from wflint.yamlnode import span


def check(wf, ctx):
    limit = ctx.options["max-jobs"]
    if len(wf.jobs) > limit:
        yield Finding(span=span(wf.root.value[0][0]), message=f"Workflow has {len(wf.jobs)} jobs, more than {limit}.")


def crash(wf, ctx):
    raise KeyError("no such thing")
    yield


RULE = Rule(
    code="ACME001",
    slug="too-many-jobs",
    summary="Workflow has more jobs than the team allows",
    check=check,
    options={"max-jobs": 1},
    options_schema={"max-jobs": {"type": "integer", "minimum": 1}},
    doc="# too-many-jobs (ACME001)\\n\\nKeep workflows small.\\n",
)
CRASHING = Rule(code="ACME002", slug="crashing-rule", summary="Always fails", check=crash)
BOTH = [RULE, CRASHING]
CLASH = Rule(code="ACME003", slug="missing-timeout", summary="Clashes with a built-in")
NOT_A_RULE = {"code": "ACME004"}
'''

WORKFLOW = """\
on: {schedule: [{cron: '17 * * * *'}]}
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - run: make one
  two:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - run: make two
"""


def install_plugin(tmp_path: Path, entry: str, source: str = PLUGIN) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "acme_wflint.py").write_text(textwrap.dedent(source))
    info = site / "acme_wflint-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-wflint\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[wflint.rules]\n{entry}\n")
    return site


def wflint(tmp_path: Path, site: Path, *args: str, config: str = ""):
    repo = tmp_path / "repo"
    if not repo.exists():
        (repo / ".git").mkdir(parents=True)
        (repo / ".github" / "workflows").mkdir(parents=True)
        (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    # missing-timeout, the built-in beside the plugin in these tests, is on only with run history
    (repo / ".wflint.toml").write_text('extend-select = ["missing-timeout"]\n' + textwrap.dedent(config))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, str(site)])}
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "wflint", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc


def findings(proc) -> list:
    return sorted((f["code"], f["slug"], f["line"]) for f in json.loads(proc.stdout)["findings"])


def test_plugin_rule_runs_and_is_selected_configured_and_suppressed_like_a_builtin(tmp_path):
    site = install_plugin(tmp_path, "acme = acme_wflint:RULE")
    proc = wflint(tmp_path, site, "--format", "json", "--no-cache")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert findings(proc) == [("ACME001", "too-many-jobs", 1), ("WFL003", "missing-timeout", 3)]

    proc = wflint(tmp_path, site, "--format", "json", "--no-cache", "--select", "ACME001")
    assert findings(proc) == [("ACME001", "too-many-jobs", 1)]

    proc = wflint(tmp_path, site, "--format", "json", "--no-cache", config="[too-many-jobs]\nmax-jobs = 2\n")
    assert findings(proc) == [("WFL003", "missing-timeout", 3)]

    proc = wflint(tmp_path, site, "--no-cache", config="ignore = ['too-many-jobs']\n[too-many-jobs]\nmax-jobs = 0\n")
    assert proc.returncode == 2
    assert "wflint: error: .wflint.toml: too-many-jobs.max-jobs: expected an integer ≥ 1, got 0" in proc.stderr

    workflow = tmp_path / "repo" / ".github" / "workflows" / "ci.yml"
    workflow.write_text("# wflint: ignore-file[ACME001]\n" + WORKFLOW)
    proc = wflint(tmp_path, site, "--format", "json", "--no-cache", "--strict")
    assert findings(proc) == [("WFL003", "missing-timeout", 4)]

    listing = wflint(tmp_path, site, "rules")
    assert "ACME001  too-many-jobs" in listing.stdout
    page = wflint(tmp_path, site, "rule", "too-many-jobs")
    assert page.returncode == 0 and "Keep workflows small." in page.stdout


def test_plugin_that_fails_to_import_gives_one_error_and_builtins_still_run(tmp_path):
    site = install_plugin(tmp_path, "acme = acme_wflint:RULE", source="import not_installed_anywhere\n")
    proc = wflint(tmp_path, site, "--format", "json", "--no-cache")
    assert proc.returncode == 2
    errors = [line for line in proc.stderr.splitlines() if line.startswith("wflint: error:")]
    assert len(errors) == 1
    assert "plugin `acme-wflint` (entry point `acme = acme_wflint:RULE`) failed to load: ModuleNotFoundError" in errors[0]
    assert findings(proc) == [("WFL003", "missing-timeout", 3)]


def test_plugin_giving_something_else_or_clashing_is_skipped_with_an_error(tmp_path):
    site = install_plugin(tmp_path, "odd = acme_wflint:NOT_A_RULE\nclash = acme_wflint:CLASH")
    proc = wflint(tmp_path, site, "--format", "json", "--no-cache")
    assert proc.returncode == 2
    assert "entry point `odd = acme_wflint:NOT_A_RULE`) gave dict, not a wflint Rule" in proc.stderr
    assert "rule `missing-timeout` (ACME003) reuses `missing-timeout`, already taken by a built-in rule" in proc.stderr
    assert findings(proc) == [("WFL003", "missing-timeout", 3)]


def test_plugin_raising_inside_check_is_an_internal_error_naming_the_plugin(tmp_path):
    site = install_plugin(tmp_path, "acme = acme_wflint:BOTH")
    proc = wflint(tmp_path, site, "--format", "json", "--no-cache")
    assert proc.returncode == 2
    data = json.loads(proc.stdout)
    internal = [f for f in data["findings"] if f["slug"] == "internal-error"]
    assert len(internal) == 1
    message = internal[0]["message"]
    assert message.startswith("Rule ACME002 (crashing-rule) failed on this file: KeyError")
    assert "This is a bug in plugin `acme-wflint`" in message
    assert {f["slug"] for f in data["findings"]} == {"internal-error", "too-many-jobs", "missing-timeout"}


def _readme_section(title: str) -> str:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_plugin_example_works(tmp_path):
    section = _readme_section("Plugins")
    module = section.split("```python\n", 1)[1].split("```", 1)[0]
    entry = section.split('[project.entry-points."wflint.rules"]\n', 1)[1].split("\n", 1)[0]
    site = install_plugin(tmp_path, entry.replace('"', ""), source=module)
    proc = wflint(tmp_path, site, "--format", "json", "--no-cache")
    assert proc.stderr == "" and findings(proc) == [("ACME001", "too-many-jobs", 1), ("WFL003", "missing-timeout", 3)]
    proc = wflint(tmp_path, site, "--format", "json", "--no-cache", config="[too-many-jobs]\nmax-jobs = 3\n")
    assert findings(proc) == [("WFL003", "missing-timeout", 3)]
