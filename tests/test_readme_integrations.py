"""The README's output, pre-commit and CI sections say what the code does."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ruamel.yaml import YAML

from wflint.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert match, f"README has no section `{title}`"
    return match.group(1)


def blocks(text: str, lang: str):
    return re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M)


def _lints_clean(job: str, tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / ".git").mkdir(exist_ok=True)
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "wflint.yml").write_text(job, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["--no-cache", "--select", "all"]) == 0, capsys.readouterr().out


def test_action_recipe_uses_the_action(tmp_path, monkeypatch, capsys):
    one_line, job, _ = blocks(section("CI and code scanning"), "yaml")
    assert one_line.strip().startswith("- uses: wflint/wflint@<commit sha>")
    workflow = YAML(typ="safe").load(job)
    (definition,) = workflow["jobs"].values()
    assert definition["permissions"]["security-events"] == "write"
    checkout, action, upload = definition["steps"]
    assert checkout["uses"].startswith("actions/checkout@")  # default depth: the action fetches the base commit
    assert action["uses"] == "wflint/wflint@<commit sha>" and action["id"] == "wflint"
    metadata = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(action["with"]) <= set(metadata["inputs"])
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ steps.wflint.outputs.sarif }}"
    # The input and output tables name exactly what action.yml declares.
    text = section("CI and code scanning")
    tables = re.findall(r"^\| `([a-z-]+)` \|", text, re.M)
    assert set(tables) == set(metadata["inputs"]) | set(metadata["outputs"])
    _lints_clean(job, tmp_path, monkeypatch, capsys)


def test_ci_job_is_complete_and_lints_clean(tmp_path, monkeypatch, capsys):
    job = blocks(section("CI and code scanning"), "yaml")[-1]  # the job without the action
    workflow = YAML(typ="safe").load(job)
    (definition,) = workflow["jobs"].values()
    assert definition["permissions"]["security-events"] == "write"
    assert definition["permissions"]["contents"] == "read" and definition["permissions"]["actions"] == "read"
    steps = definition["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@") and uses[1].startswith("actions/setup-python@")
    runs = [step["run"] for step in steps if "run" in step]
    assert "pip install wflint" in runs
    assert any("wflint --format sarif --output wflint.sarif" in run for run in runs)
    upload = steps[-1]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"] == {"sarif_file": "wflint.sarif", "category": "wflint"}
    assert "cancelled()" in upload["if"]
    # The job practises what wflint preaches.
    _lints_clean(job, tmp_path, monkeypatch, capsys)


def test_pre_commit_snippet_names_real_hooks():
    text = section("pre-commit")
    (snippet,) = blocks(text, "yaml")
    config = YAML(typ="safe").load(snippet)
    hook_ids = {hook["id"] for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    (repo,) = config["repos"]
    assert {hook["id"] for hook in repo["hooks"]} <= hook_ids
    for hook in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        assert f"`{hook['id']}` | `{hook['entry']}`" in text
        assert f"`{hook['files']}`" in text


def test_json_example_has_the_report_shape(tmp_path, monkeypatch, capsys):
    (example,) = blocks(section("Output formats"), "json")
    documented = json.loads(example)
    (tmp_path / ".git").mkdir()
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ci.yml").write_text("on: [push, pull_request]\njobs: {}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["--format", "json", "--no-cache", "--select", "WFL001"])
    actual = json.loads(capsys.readouterr().out)
    assert set(documented) == set(actual)
    assert documented["schema"] == actual["schema"]
    assert set(documented["findings"][0]) == set(actual["findings"][0])
    assert set(documented["findings"][0]["fix"]) == set(actual["findings"][0]["fix"])
    assert set(documented["findings"][0]["fix"]["edits"][0]) == set(actual["findings"][0]["fix"]["edits"][0])


def test_github_example_is_what_wflint_prints(tmp_path, monkeypatch, capsys):
    (example,) = blocks(section("Output formats"), "text")
    (tmp_path / ".git").mkdir()
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ci.yml").write_text("name: CI\non:\n  push:\n  pull_request:\njobs: {}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["--format", "github", "--no-cache", "--select", "WFL001"])
    printed = capsys.readouterr().out.splitlines()[0]
    assert example.strip().endswith("…")
    assert printed.startswith(example.strip()[:-1])
