"""The rule catalog lists every rule module as its RULE says, and a run imports only the rules it chose."""

import importlib
from pathlib import Path

import pytest

from helpers import REPO, run_code
from wflint import rules as registry

MODULES = sorted(p.stem for p in (REPO / "src" / "wflint" / "rules").glob("*.py")
                 if p.stem not in ("__init__", "base", "jobtraits"))


@pytest.mark.shipped_defaults
@pytest.mark.parametrize("code, slug, default", registry.CATALOG, ids=[entry[1] for entry in registry.CATALOG])
def test_each_line_matches_its_modules_rule(code, slug, default):
    rule = importlib.import_module(f"wflint.rules.{slug.replace('-', '_')}").RULE
    listed = registry.Listed(code, slug, default)
    assert (rule.code, rule.slug) == (code, slug)
    assert (rule.default, rule.with_history, rule.system) == (listed.default, listed.with_history, listed.system)


def test_every_rule_module_is_listed_once():
    slugs = [slug for _, slug, _ in registry.CATALOG]
    assert sorted(s.replace("-", "_") for s in slugs) == MODULES
    assert len({code for code, _, _ in registry.CATALOG}) == len(registry.CATALOG)


@pytest.mark.shipped_defaults
def test_all_rules_and_builtin_give_every_rule():
    assert [r.code for r in registry.all_rules()] == sorted(code for code, _, _ in registry.CATALOG)
    assert {r.slug for r in registry.BUILTIN} == {slug for _, slug, _ in registry.CATALOG}


@pytest.mark.shipped_defaults
def test_a_plain_lint_imports_only_the_rules_it_runs(tmp_path: Path):
    (tmp_path / "ci.yml").write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n")
    (tmp_path / ".wflint.toml").write_text('extend-select = ["artifact-retention"]\n\n[missing-path-filters]\n')
    code = ("import sys\nfrom wflint.entry import main\nmain(['--no-cache', 'ci.yml'])\n"
            "print('RULES', *sorted(m.split('.')[-1] for m in sys.modules if m.startswith('wflint.rules.')))")
    result = run_code(code, tmp_path)
    loaded = set(result.stdout.splitlines()[-1].split()[1:])
    on = {slug.replace("-", "_") for _, slug, default in registry.CATALOG if default in (registry.ON, registry.SYSTEM)}
    assert on <= loaded, result.stderr
    assert "artifact_retention" in loaded  # chosen by the configuration
    assert "missing_path_filters" in loaded  # configured: its options' schema is read
    assert not {"docker_build_without_cache", "full_matrix_on_expensive_runners", "schedule_top_of_hour"} & loaded
