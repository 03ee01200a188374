"""`--format sarif`: valid SARIF 2.1.0 that GitHub code scanning accepts, with stable fingerprints and fixes."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
from pathlib import Path

import jsonschema
import pytest

import wflint.rules as registry
from wflint.cli import main
from wflint.engine import lint_source, settings_for
from wflint.fixer import apply_edits
from wflint.report import sarif
from wflint.rules import all_rules, missing_concurrency
from wflint.source import Source

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
SHARED_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
SCHEMA_COPY = HERE / "sarif" / "sarif-schema-2.1.0.json"
CORPUS = SHARED / "corpus" / "workflows"

_SCHEMA = json.loads((SHARED_SCHEMA if SHARED_SCHEMA.is_file() else SCHEMA_COPY).read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft4Validator(_SCHEMA, format_checker=jsonschema.FormatChecker())

WORKFLOW = """\
name: CI
on:
  push:
    branches: [main]
  pull_request:
  schedule:
    - cron: '* * * * *'
    - cron: '* * * * *'
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
"""


def test_uri_formats_are_really_checked():
    checker = jsonschema.FormatChecker()
    assert not checker.conforms("a b.yml", "uri-reference")  # needs rfc3986-validator (test extra)
    assert checker.conforms(".github/workflows/a%20b.yml", "uri-reference")


def validate(doc: dict) -> None:
    """The official schema, then what GitHub's upload adds to it."""
    errors = sorted(_VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    assert len(doc["runs"]) == 1
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) <= 25_000 and len(run["results"]) <= sarif.MAX_RESULTS
    for rule in rules:
        assert len(rule["name"]) <= 255
        assert len(rule["shortDescription"]["text"]) <= 1024 and len(rule["fullDescription"]["text"]) <= 1024
        assert len(rule["properties"]["tags"]) <= 20
        assert "security" not in [t.lower() for t in rule["properties"]["tags"]]
        assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert 1 <= len(result["locations"]) <= 1000
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert result["partialFingerprints"]["primaryLocationLineHash"]
    text = json.dumps(doc)
    assert "security-severity" not in text
    assert len(gzip.compress(text.encode("utf-8"))) <= 10_000_000


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def write(repo: Path, text: str, name: str = "ci.yml", newline: str = "\n") -> Path:
    path = repo / ".github" / "workflows" / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


def run_sarif(capsys, *args: str):
    code = main(["--format", "sarif", "--no-cache", *args])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    validate(doc)
    return code, doc, captured.err


def test_schema_copy_is_the_shared_one():
    if not SHARED_SCHEMA.is_file():
        pytest.skip("../shared/schemas is absent: nothing to compare the copy under tests/ with")
    assert SCHEMA_COPY.read_bytes() == SHARED_SCHEMA.read_bytes()


def test_driver_rules_results_and_locations(repo, capsys):
    write(repo, WORKFLOW)
    code, doc, _ = run_sarif(capsys)
    assert code == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "wflint" and driver["version"] and driver["informationUri"].startswith("https://")
    selected = [r for r in all_rules() if r.default]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in selected]  # every selected rule, results or not
    concurrency = driver["rules"][[r["id"] for r in driver["rules"]].index("WFL001")]
    assert concurrency["name"] == "missing-concurrency"
    assert concurrency["helpUri"].endswith("/rules/missing-concurrency.md")
    assert concurrency["defaultConfiguration"]["level"] == "warning"
    assert concurrency["help"]["text"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["WFL001", "WFL004", "WFL002", "WFL002", "WFL003", "WFL003"]
    first = results[0]
    assert first["level"] == "warning"
    assert first["message"]["text"] == lint_source(Source(path="ci.yml", text=WORKFLOW), settings_for()).findings[0].message
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": ".github/workflows/ci.yml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 3}
    cron = results[2]
    assert cron["locations"][0]["physicalLocation"]["region"] == {"startLine": 7, "startColumn": 13, "endLine": 7, "endColumn": 24}
    assert cron["properties"]  # the finding's own properties (runs a month...) travel with it
    assert run["invocations"][0]["executionSuccessful"] is True


def test_selection_is_the_rules_array_and_load_errors_still_index(repo, capsys):
    write(repo, WORKFLOW)
    write(repo, "on: [push\njobs: {}\n", name="broken.yml")
    code, doc, _ = run_sarif(capsys, "--select", "WFL003")
    assert code == 2  # a file that does not load
    run = doc["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == ["WFL003", "WFL900"]
    assert {r["ruleId"] for r in run["results"]} == {"WFL003", "WFL900"}


def test_fingerprints_survive_a_comment_added_above(repo, capsys):
    path = write(repo, WORKFLOW)
    _, before, _ = run_sarif(capsys)
    path.write_text("# a comment added later\n" + WORKFLOW, encoding="utf-8")
    _, after, _ = run_sarif(capsys)

    def keyed(doc):
        return [
            (r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in doc["runs"][0]["results"]
        ]

    old, new = keyed(before), keyed(after)
    assert [line + 1 for _, _, line in old] == [line for _, _, line in new]  # every finding moved down
    assert [fp for _, fp, _ in old] == [fp for _, fp, _ in new]  # and kept its fingerprint
    fingerprints = [fp for _, fp, _ in old]
    assert len(set(fingerprints)) == len(fingerprints)  # the two identical cron lines differ by occurrence


def test_fingerprint_changes_with_the_line_it_points_at(repo, capsys):
    path = write(repo, WORKFLOW)
    _, before, _ = run_sarif(capsys)
    path.write_text(WORKFLOW.replace("  build:", "  compile:"), encoding="utf-8")
    _, after, _ = run_sarif(capsys)
    fp = [{r["partialFingerprints"]["primaryLocationLineHash"] for r in d["runs"][0]["results"] if r["ruleId"] == "WFL003"} for d in (before, after)]
    assert len(fp[0] & fp[1]) == 1  # `test` kept its fingerprint, `build` -> `compile` got a new one


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_fixes_replay_the_findings_edits(repo, capsys, newline):
    write(repo, WORKFLOW, newline=newline)
    _, doc, _ = run_sarif(capsys)
    text = WORKFLOW.replace("\n", newline)
    source = Source(path="ci.yml", text=text)
    findings = lint_source(source, settings_for()).findings
    results = doc["runs"][0]["results"]
    assert len(findings) == len(results)
    with_fix = 0
    for finding, result in zip(findings, results):
        assert result["ruleId"] == finding.code
        if finding.fix is None:
            assert "fixes" not in result
            continue
        with_fix += 1
        (fix,) = result["fixes"]
        assert fix["properties"]["safety"] == finding.fix.safety.value
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"]["uri"] == ".github/workflows/ci.yml"
        assert _apply_sarif(text, change["replacements"]) == apply_edits(text, finding.fix.edits, newline)
    assert with_fix == len(findings)


def _apply_sarif(text: str, replacements) -> str:
    """Apply SARIF replacements (1-based line/column regions) the way a viewer would."""
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def offset(line, col):
        return starts[line - 1] + col - 1

    out = text
    for rep in sorted(replacements, key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]), reverse=True):
        region = rep["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        out = out[:start] + rep.get("insertedContent", {}).get("text", "") + out[end:]
    return out


def test_help_comes_from_the_rule_page(repo, capsys, monkeypatch):
    page = "# missing-concurrency (WFL001)\n\nsummary\n\n## What it does\nFlags  workflows\nwithout a group.\n\n## Why it costs\nMoney.\n"
    monkeypatch.setattr(sarif, "page_for", lambda rule: page if rule.code == "WFL001" else None)
    write(repo, WORKFLOW)
    _, doc, _ = run_sarif(capsys)
    rules = {r["id"]: r for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["WFL001"]["help"] == {"text": page, "markdown": page}
    assert rules["WFL001"]["fullDescription"]["text"] == "Flags workflows without a group."
    timeout = next(r for r in all_rules() if r.code == "WFL003")
    assert rules["WFL003"]["help"] == {"text": timeout.summary}  # no page: the summary, no failure
    assert rules["WFL003"]["fullDescription"]["text"] == timeout.summary


def test_long_descriptions_and_many_tags_are_capped(repo, capsys, monkeypatch):
    page = "# x\n\n## What it does\n" + "word " * 400 + "\n"
    monkeypatch.setattr(sarif, "page_for", lambda rule: page)
    tagged = dataclasses.replace(missing_concurrency.RULE, tags=tuple(f"t{i}" for i in range(30)) + ("security", "Security"))
    monkeypatch.setitem(registry._loaded, tagged.slug, tagged)
    write(repo, WORKFLOW)
    _, doc, _ = run_sarif(capsys, "--select", "WFL001")  # validate() checks the limits
    (rule,) = doc["runs"][0]["tool"]["driver"]["rules"]
    assert len(rule["fullDescription"]["text"]) == 1024 and rule["fullDescription"]["text"].endswith("…")
    assert rule["properties"]["tags"] == [f"t{i}" for i in range(20)]


def test_results_over_the_limit_keep_the_most_severe_and_say_so(repo, capsys, monkeypatch):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    write(repo, WORKFLOW)
    write(repo, "on:\n  schedule:\n    - cron: '61 * * * *'\njobs: {}\n", name="bad-cron.yml")
    code, doc, err = run_sarif(capsys)
    assert code == 1
    run = doc["runs"][0]
    results = run["results"]
    assert len(results) == 3
    assert results[0]["level"] == "error" and results[0]["ruleId"] == "WFL005"  # the error is kept first
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert any("at most 3 per run" in n["message"]["text"] for n in notes)
    assert "wflint: warning:" in err and "at most 3 per run" in err


def test_over_the_compressed_size_limit_drops_fixes_then_results(repo, capsys, monkeypatch):
    write(repo, WORKFLOW)
    _, full, _ = run_sarif(capsys)
    for result in full["runs"][0]["results"]:
        del result["fixes"]
    without_fixes = _gzip_size(full)
    full["runs"][0]["results"] = []
    limit = (without_fixes + _gzip_size(full)) // 2  # room for some results, not all, and no fixes
    monkeypatch.setattr(sarif, "MAX_GZIP_BYTES", limit)
    _, doc, err = run_sarif(capsys)
    run = doc["runs"][0]
    assert all("fixes" not in r for r in run["results"])
    assert 0 < len(run["results"]) < 7
    assert _gzip_size(doc) <= limit
    texts = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any("fixes left out" in t for t in texts) and any("least severe results left out" in t for t in texts)
    assert err.count("wflint: warning:") == 2


def _gzip_size(doc) -> int:
    return len(gzip.compress((json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")))


def test_output_file_exit_codes_and_exit_zero(repo, capsys):
    write(repo, WORKFLOW)
    assert main(["--format", "sarif", "--output", "out.sarif", "--no-cache"]) == 1
    assert capsys.readouterr().out == ""
    doc = json.loads((repo / "out.sarif").read_text(encoding="utf-8"))
    validate(doc)
    assert len(doc["runs"][0]["results"]) == 6
    assert main(["--format", "sarif", "-o", "out2.sarif", "--exit-zero", "--no-cache"]) == 0
    assert json.loads((repo / "out2.sarif").read_text(encoding="utf-8")) == doc


def test_output_file_that_cannot_be_written_is_an_error(repo, capsys):
    write(repo, WORKFLOW)
    assert main(["--format", "sarif", "--output", str(repo / "missing" / "out.sarif"), "--no-cache"]) == 2
    assert "cannot write the report" in capsys.readouterr().err


def test_file_outside_the_repository_and_stdin(repo, capsys, tmp_path_factory, monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "wf.yml"
    elsewhere.write_text(WORKFLOW, encoding="utf-8")
    _, doc, _ = run_sarif(capsys, str(elsewhere))
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": elsewhere.resolve().as_uri()}
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(WORKFLOW.encode())))
    _, doc, _ = run_sarif(capsys, "-")
    assert doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "-"}


def test_path_with_spaces_and_non_ascii_is_a_valid_uri(repo, capsys):
    write(repo, WORKFLOW, name="ci täst %1.yml")
    _, doc, _ = run_sarif(capsys)
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == ".github/workflows/ci%20t%C3%A4st%20%251.yml"


def test_read_errors_become_notifications(repo, capsys):
    write(repo, WORKFLOW)
    code, doc, _ = run_sarif(capsys, ".github/workflows/ci.yml", "nonexistent.yml")
    assert code == 2
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert [n["level"] for n in invocation["toolExecutionNotifications"]] == ["error"]
    assert "nonexistent.yml" in invocation["toolExecutionNotifications"][0]["message"]["text"]


def test_whole_corpus_validates(monkeypatch, capsys):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/workflows is absent (the corpus lives beside the repository, not in it)")
    monkeypatch.chdir(CORPUS)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = main(["--format", "sarif", "--no-cache", "."])
    doc = json.loads(capsys.readouterr().out)
    validate(doc)
    results = doc["runs"][0]["results"]
    assert code in (1, 2) and len(results) > 1000
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"].get("uriBaseId") == "%SRCROOT%" for r in results)
    by_file = {}
    for r in results:
        by_file.setdefault(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], []).append(
            (r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"])
        )
    for uri, keys in by_file.items():
        assert len(set(keys)) == len(keys), f"{uri}: two results share a fingerprint"


def test_after_fix_locations_and_fingerprints_refer_to_the_fixed_file(repo, capsys):
    path = write(repo, WORKFLOW)
    code, doc, _ = run_sarif(capsys, "--fix")
    assert code == 1  # the unsafe fixes were not applied: their findings remain
    fixed_lines = path.read_text(encoding="utf-8").splitlines()
    assert "concurrency:" in fixed_lines
    results = doc["runs"][0]["results"]
    assert "WFL001" not in {r["ruleId"] for r in results}
    for result in results:
        region = result["locations"][0]["physicalLocation"]["region"]
        line = fixed_lines[region["startLine"] - 1]
        assert line[region["startColumn"] - 1 : region["endColumn"] - 1].strip(), (result["ruleId"], line)
    _, again, _ = run_sarif(capsys)  # a later plain run of the fixed file: same alerts
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [r["partialFingerprints"] for r in results]
