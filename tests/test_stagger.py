"""One schedule suggestion (``wflint.stagger``) for the lint fixes and ``wflint cost``."""

import json

import pytest

from wflint import cron, stagger
from wflint.cli import main


def workflow(expr):
    return f"on:\n  schedule:\n    - cron: '{expr}'  # keep\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{{run: x}}]\n"


def repo(tmp_path, files):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text('[remote "origin"]\n\turl = https://github.com/acme/widgets.git\n')
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, expr in files.items():
        (folder / name).write_text(workflow(expr))
    return folder


def cost_suggestions(tmp_path, capsys, *extra):
    assert main(["cost", str(tmp_path), "--format", "json", *extra]) == 0
    data = json.loads(capsys.readouterr().out)
    return {s["path"].rsplit("/", 1)[-1]: s["suggested"] for s in data["crowding"]["suggestions"]}


def cron_of(path):
    return path.read_text().split("cron: '")[1].split("'")[0]


FILES = {"nightly.yml": "0 3 * * *", "poll.yml": "*/5 * * * *", "list.yml": "0,5,10 9-17 * * 1-5", "quarter.yml": "*/15 * * * *"}


def test_fix_and_cost_suggest_the_same_cron_and_the_fixed_file_is_never_flagged_again(tmp_path, capsys, monkeypatch):
    folder = repo(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    before = cost_suggestions(tmp_path, capsys)
    assert set(before) == set(FILES)
    assert main(["check", "--no-cache", "--fix", "--unsafe-fixes", "--select", "cron-too-frequent,schedule-top-of-hour", str(folder)]) in (0, 1)
    capsys.readouterr()
    fixed = {name: cron_of(folder / name) for name in FILES}
    # the fixes wrote what the cost report suggested (quarter.yml is not too frequent, and not
    # at minute 0 as written: no rule rewrites it, the report still suggests staggering it)
    for name in ("nightly.yml", "poll.yml", "list.yml"):
        assert fixed[name] == before[name], name
        key = ("acme/widgets", f".github/workflows/{name}")
        assert before[name] == stagger.suggest(FILES[name], None, key, 15)
    assert all("# keep" in (folder / n).read_text() for n in FILES)
    # and nothing suggests or flags them again
    after = cost_suggestions(tmp_path, capsys)
    assert set(after) == {"quarter.yml"} and after["quarter.yml"] == before["quarter.yml"]
    assert main(["check", "--no-cache", "--select", "cron-too-frequent,schedule-top-of-hour", str(folder)]) == 0
    capsys.readouterr()


def test_the_suggestion_does_not_depend_on_which_fix_runs_first():
    key = ("acme/widgets", ".github/workflows/x.yml")
    for expr in ["*/5 * * * *", "0,5,10 * * * *", "*/10 0 * * *", "*/5 * * * *"]:
        both = stagger.suggest(expr, None, key, 15)
        staggered = stagger.stagger(expr, None, key)
        assert stagger.suggest(staggered, None, key, 15) == both  # top-of-hour's fix first
        assert stagger.suggest(both, None, key, 15) is None  # stable


@pytest.mark.parametrize("expr", ["0 3 * * *", "*/15 * * * *", "0,30 * * * *", "0 */6 * * *"])
def test_staggered_cron_keeps_its_run_count_and_leaves_minute_zero(expr):
    new = stagger.stagger(expr, None, ("r", "a.yml"))
    assert new is not None and 0 not in cron.parse(new).minutes
    assert cron.monthly_runs([(new, None)]) == cron.monthly_runs([(expr, None)])
    assert new.split()[1:] == expr.split()[1:]


def test_no_stagger_for_half_hour_zones_or_unmovable_minutes():
    assert stagger.stagger("0 3 * * *", "Asia/Kolkata", ("r", "a.yml")) is None
    assert stagger.stagger("0 3 * * *", "Europe/Berlin", ("r", "a.yml")) is not None
    assert stagger.stagger("* * * * *", None, ("r", "a.yml")) is None
    assert stagger.stagger("5 * * * *", None, ("r", "a.yml")) is None
