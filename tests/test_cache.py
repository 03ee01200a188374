"""The result cache: hits give the same report, anything unreadable is a miss, only checks are cached."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO
from wflint import cache as cache_mod
from wflint import runner
from wflint.cache import CACHE_DIR, Cache, fingerprint
from wflint.cli import main
from wflint.engine import Settings, settings_for
from wflint.finding import Finding, Severity, Span
from wflint.rules import Rule

CI = "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
CRON = "on:\n  schedule:\n    - cron: '* * * * *'\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n"
BROKEN = "on: [push\njobs: {}\n"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    wfdir = tmp_path / ".github" / "workflows"
    wfdir.mkdir(parents=True)
    (wfdir / "ci.yml").write_text(CI)
    (wfdir / "cron.yml").write_text(CRON)
    (wfdir / "broken.yml").write_text(BROKEN)
    (wfdir / "latin1.yml").write_bytes(b"on: push\nname: caf\xe9\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def indexes(repo):
    base = repo / CACHE_DIR
    return sorted(base.glob("*.json")) if base.is_dir() else []


def entries(repo):
    """Display path -> entry, over every index file of the cache."""
    out = {}
    for index in indexes(repo):
        out.update(json.loads(index.read_text())["entries"])
    return out


def the_index(repo):
    (index,) = indexes(repo)
    return index


def test_warm_run_gives_the_same_report_without_linting(repo, capsys, count_lints):
    cold = run(capsys, "--format", "json")
    assert len(count_lints) == 4
    assert len(entries(repo)) == 4
    count_lints.clear()
    warm = run(capsys, "--format", "json")
    assert count_lints == []
    assert warm == cold
    assert cold[0] == 2  # broken.yml and the decode error still fail the run from the cache
    assert run(capsys) == run(capsys, "--no-cache")


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_is_the_same_from_the_cache(repo, capsys, fmt, count_lints):
    cold = run(capsys, "--format", fmt)
    count_lints.clear()
    assert run(capsys, "--format", fmt) == cold
    assert count_lints == []


def test_cache_folder_is_ignored_by_git_and_tagged(repo, capsys):
    run(capsys)
    assert (repo / CACHE_DIR / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (repo / CACHE_DIR / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def test_changed_bytes_are_a_miss(repo, capsys, count_lints):
    run(capsys, "--extend-select", "duplicate-triggers")
    count_lints.clear()
    (repo / ".github" / "workflows" / "cron.yml").write_text(CRON.replace("* * * * *", "0 3 * * *"))
    code, out, _ = run(capsys, "--extend-select", "duplicate-triggers")
    # ci.yml infers its default branch from the other workflows of the folder (duplicate-triggers):
    # a changed sibling is a miss for it too; the files that read nothing else are hits.
    assert count_lints == [os.path.join(".github", "workflows", name) for name in ("ci.yml", "cron.yml")]
    assert "cron-too-frequent" not in out
    assert len(entries(repo)) == 4  # the entry of cron.yml was replaced, not added


def test_changed_settings_are_a_miss(repo, capsys, count_lints):
    run(capsys)
    count_lints.clear()
    _, out, _ = run(capsys, "--select", "missing-timeout")
    assert len(count_lints) == 4
    assert "missing-concurrency" not in out and "missing-timeout" in out


def test_fingerprint_follows_everything_that_changes_findings():
    base = settings_for()
    assert fingerprint(base) == fingerprint(settings_for())
    assert fingerprint(settings_for(["missing-timeout"])) != fingerprint(base)
    assert fingerprint(settings_for(options={"missing-timeout": {"default": 20}})) != fingerprint(base)
    assert fingerprint(Settings(rules=base.rules, severity={"missing-timeout": Severity.ERROR})) != fingerprint(base)
    plugin = Rule(code="XYZ001", slug="plugin-rule", summary="s", source="some-plugin")
    assert fingerprint(Settings(rules=[*base.rules, plugin])) != fingerprint(base)
    assert fingerprint(Settings(rules=base.rules, extra={"k": 1})) != fingerprint(base)


def _index_damages(text):
    index = json.loads(text)
    foreign = dict(index, fingerprint="0" * 32)
    return [
        b"",
        b"\x00\xff garbage",
        text[: len(text) // 2].encode(),  # truncated
        b'{"fingerprint": 1}',
        b"[]",
        json.dumps(foreign).encode(),  # another settings' index under this name
        json.dumps(dict(index, entries=[])).encode(),
    ]


def test_damaged_index_is_all_misses(repo, capsys, count_lints):
    cold = run(capsys)
    index = the_index(repo)
    for damage in _index_damages(index.read_text()):
        index.write_bytes(damage)
        count_lints.clear()
        assert run(capsys) == cold
        assert len(count_lints) == 4
        count_lints.clear()
        assert run(capsys) == cold  # and the index was rewritten
        assert count_lints == []


@pytest.mark.parametrize(
    "damage",
    [None, 1, [], ["0" * 64, False], ["x", False, []], {"sha256": "x"}, [None, False, [[1, 2]]]],
)
def test_damaged_entries_are_misses(repo, capsys, damage, count_lints):
    cold = run(capsys)
    index = the_index(repo)
    data = json.loads(index.read_text())
    data["entries"] = {path: damage for path in data["entries"]}
    index.write_text(json.dumps(data))
    count_lints.clear()
    assert run(capsys) == cold
    assert len(count_lints) == 4
    assert len(entries(repo)) == 4 and None not in entries(repo).values()  # rewritten


def test_entry_with_another_files_hash_is_a_miss(repo, capsys, count_lints):
    cold = run(capsys)
    index = the_index(repo)
    data = json.loads(index.read_text())
    ci, cron = os.path.join(".github", "workflows", "ci.yml"), os.path.join(".github", "workflows", "cron.yml")
    data["entries"][ci] = data["entries"][cron]  # cron.yml's findings under ci.yml's name
    index.write_text(json.dumps(data))
    count_lints.clear()
    assert run(capsys) == cold
    assert count_lints == [ci]


def test_garbage_findings_in_an_entry_with_the_right_hash_are_a_miss(repo, capsys, count_lints):
    cold = run(capsys)
    index = the_index(repo)
    data = json.loads(index.read_text())
    for entry in data["entries"].values():
        entry[2] = [["WFL001", "too short"]]
    index.write_text(json.dumps(data))
    count_lints.clear()
    assert run(capsys) == cold
    assert len(count_lints) == 4


def test_unwritable_cache_does_not_break_the_run(repo, capsys):
    (repo / CACHE_DIR).write_text("a file where the cache folder would be")
    assert run(capsys) == run(capsys, "--no-cache")


def test_an_index_that_cannot_be_replaced_switches_the_cache_off(repo, capsys):
    cold = run(capsys)
    index = the_index(repo)
    index.unlink()
    index.mkdir()  # os.replace cannot put a file over a folder
    (index / "keep").write_text("")
    assert run(capsys) == cold
    assert index.is_dir() and not list((repo / CACHE_DIR).glob(".tmp-*"))


def test_leftover_temporary_files_are_harmless(repo, capsys):
    cold = run(capsys)
    (repo / CACHE_DIR / ".tmp-abandoned.json").write_text("{")
    assert run(capsys) == cold


def test_saving_prunes_what_is_older_than_a_day(repo, capsys):
    run(capsys)
    base = repo / CACHE_DIR
    old_index, fresh_index, old_temp, old_layout = base / ("a" * 32 + ".json"), base / ("b" * 32 + ".json"), base / ".tmp-x.json", base / ("c" * 32)
    for path in (old_index, fresh_index, old_temp):
        path.write_text("{}")
    old_layout.mkdir()
    (old_layout / "entry.json").write_text("{}")
    two_days_ago = time.time() - 2 * cache_mod.STALE
    for path in (old_index, old_temp, old_layout):
        os.utime(path, (two_days_ago, two_days_ago))
    run(capsys)  # nothing changed: nothing written, nothing pruned
    assert old_index.exists()
    (repo / ".github" / "workflows" / "ci.yml").write_text(CI + "# changed\n")
    run(capsys)
    assert not old_index.exists() and not old_temp.exists() and not old_layout.exists()
    assert fresh_index.exists() and (base / ".gitignore").exists() and (base / "CACHEDIR.TAG").exists()
    assert len(indexes(repo)) == 2


def test_concurrent_runs_share_the_cache(repo):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), WFLINT_JOBS="1")
    expected = subprocess.run([sys.executable, "-m", "wflint", "--no-cache"], capture_output=True, env=env, cwd=repo)
    procs = [subprocess.Popen([sys.executable, "-m", "wflint"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=repo) for _ in range(3)]
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert (proc.returncode, out, err) == (expected.returncode, expected.stdout, expected.stderr)
    assert len(entries(repo)) == 4


def test_no_cache_fix_diff_and_stdin_write_nothing(repo, capsys, monkeypatch):
    run(capsys, "--no-cache")
    run(capsys, "--diff", "--unsafe-fixes")
    monkeypatch.setattr("sys.stdin", type("S", (), {"buffer": __import__("io").BytesIO(CI.encode())})())
    run(capsys, "-")
    assert not (repo / CACHE_DIR).exists()
    run(capsys, "--fix")
    assert not (repo / CACHE_DIR).exists()


def test_fix_does_not_read_the_cache(repo, capsys):
    run(capsys)
    index = the_index(repo)
    data = json.loads(index.read_text())
    for entry in data["entries"].values():  # a cache claiming there is nothing to fix
        entry[2] = []
    index.write_text(json.dumps(data))
    assert "concurrency" not in run(capsys)[1]
    code, out, _ = run(capsys, "--fix")
    assert "Fixed" in out
    assert "concurrency:" in (repo / ".github" / "workflows" / "ci.yml").read_text()


def test_crashes_are_not_cached(repo, monkeypatch):
    def boom(wf, ctx):
        raise RuntimeError("rule bug")
        yield

    settings = Settings(rules=[Rule(code="XYZ001", slug="crashy", summary="s", check=boom)], repo_root=str(repo))
    report = runner.run(runner.RunOptions(settings=settings, cwd=str(repo)))
    crashed = [f for f in report.findings if f.slug == "internal-error"]
    assert crashed
    cached = set(entries(repo))
    assert cached and {f.path for f in crashed}.isdisjoint(cached)


def test_clean_removes_the_cache(repo, capsys):
    run(capsys)
    assert (repo / CACHE_DIR).is_dir()
    code, out, _ = run(capsys, "clean")
    assert code == 0 and "Removed" in out
    assert not (repo / CACHE_DIR).exists()
    code, out, _ = run(capsys, "clean")
    assert code == 0 and "No cache" in out


def test_clean_from_a_subfolder_finds_the_root(repo, capsys, monkeypatch):
    run(capsys)
    monkeypatch.chdir(repo / ".github")
    assert run(capsys, "clean")[0] == 0
    assert not (repo / CACHE_DIR).exists()


def test_findings_round_trip_through_an_entry(tmp_path):
    from wflint.finding import Edit, Fix, Safety

    finding = Finding(
        span=Span(3, 9), message="m ✓", fix=Fix("t", (Edit(1, 2, "x\n"), Edit(5, 5, "")), Safety.UNSAFE),
        properties={"monthly_runs": 8640, "nested": {"a": [1, 2]}}, code="WFL002", slug="s",
        severity=Severity.INFO, path="p.yml", line=1, col=2, end_line=3, end_col=4,
    )
    store = Cache(str(tmp_path), "fp")
    store.put("p.yml", b"data", [finding], False)
    store.save()
    for reader in (store, Cache(str(tmp_path), "fp")):
        findings, failed, not_workflow = reader.get("p.yml", b"data")
        assert findings == [finding] and findings[0].properties == finding.properties and failed is False
        assert not_workflow is False
        assert reader.get("p.yml", b"other data") is None
        assert reader.get("q.yml", b"data") is None
    assert Cache(str(tmp_path), "other fp").get("p.yml", b"data") is None


def test_properties_json_cannot_hold_are_not_cached(tmp_path):
    finding = Finding(span=Span(0, 0), message="m", properties={"x": object()})
    store = Cache(str(tmp_path), "fp")
    store.put("p.yml", b"data", [finding], False)
    store.save()
    assert store.get("p.yml", b"data") is None
    assert not (tmp_path / CACHE_DIR).exists()


def test_restore_gives_every_field():
    from wflint.finding import FIELDS
    from wflint.cache import _finding_to, _finding_from

    finding = Finding(span=Span(1, 2), message="m", code="WFL001", slug="s", path="p", line=1, col=2, end_line=1, end_col=3)
    restored = _finding_from(json.loads(json.dumps(_finding_to(finding, "p"))), "p")
    assert set(vars(restored)) == set(FIELDS) and restored == finding


def test_a_yaml_file_that_is_not_a_workflow_is_cached_too(repo, capsys, count_lints):
    (repo / ".github" / "workflows" / "labeler.yml").write_text("docs:\n  - '**/*.md'\n")
    cold = run(capsys, "--format", "json")
    assert len(count_lints) == 5
    count_lints.clear()
    warm = run(capsys, "--format", "json")
    assert count_lints == []
    assert warm == cold
    named = run(capsys, ".github/workflows/labeler.yml")  # named: its "not a workflow" note, from the cache
    assert count_lints == [] and "not a workflow" in named[1] + named[2]
    assert named == run(capsys, "--no-cache", ".github/workflows/labeler.yml")
