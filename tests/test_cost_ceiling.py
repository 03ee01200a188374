"""The ceiling price (every job as long as the longest class) never falls below the model's
price, the rough bound (no job costs at all) never below the ceiling's, and hiding a finding
on them hides exactly what pricing it fully would hide."""

from __future__ import annotations

import pytest

from wflint import yamlnode as yn
from wflint.cost import findings as cost_findings
from wflint.cost import model as cost_model
from wflint.finding import Finding, Span
from wflint.source import Source
from wflint.stake import stake
from wflint.workflow import build

WORKFLOWS = {
    "bots": """\
on: [push, pull_request]
jobs:
  label:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/labeler@v5
""",
    "matrix build": """\
on:
  push:
    branches: [main]
  pull_request:
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: ruff check .
  test:
    needs: lint
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest, windows-latest]
        python: ["3.10", "3.11", "3.12"]
    steps:
      - run: pytest
""",
    "timeouts, slim, narrow if": """\
on: [push, pull_request, schedule]
jobs:
  quick:
    runs-on: ubuntu-slim
    steps:
      - run: make
  capped:
    runs-on: ubuntu-latest
    timeout-minutes: 4
    steps:
      - run: make test
  bot:
    if: github.actor == 'dependabot[bot]'
    runs-on: ubuntu-latest
    steps:
      - run: gh pr merge --auto
""",
    "paths and tags": """\
on:
  push:
    tags: ['v*']
  pull_request:
    paths: ['src/**']
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - run: python -m build
  docs:
    runs-on: ubuntu-latest
    if: github.event_name != 'pull_request'
    steps:
      - run: mkdocs build
""",
}

STAKES = [
    stake("superseded", events=["push", "pull_request"]),
    stake("superseded", events=["push"], share=0.5),
    stake("superseded", jobs=["test"]),
    stake("share", share=0.8),
    stake("share", jobs=["release"], share=0.8, events=["pull_request"]),
    stake("docs-only"),
    stake("tag"),
]


def workflow(text: str):
    return build(Source.from_bytes("ci.yml", text.encode()), yn.compose(text))


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@pytest.mark.parametrize("at_stake", STAKES, ids=lambda s: f"{s['measure']}-{s.get('share')}-{s.get('jobs')}")
def test_the_ceiling_is_never_below_the_model(name, at_stake):
    wf = workflow(WORKFLOWS[name])
    assert cost_findings._grows_with_minutes(at_stake)
    exact = cost_model.WorkflowCost(wf).price(at_stake)
    most = cost_model.WorkflowCost(wf, ceiling=True).price(at_stake)
    assert most["minutes_per_month"] >= exact["minutes_per_month"]
    assert most["basis"] == exact["basis"] == "estimate"
    rough = cost_model.WorkflowCost(wf, ceiling=True).bound(at_stake)
    assert rough is None or rough >= most["minutes_per_month"] - 0.5  # the figure is rounded


def test_the_bound_needs_no_jobs_costs_and_gives_up_on_callers_and_negatives(monkeypatch):
    wf = workflow(WORKFLOWS["matrix build"])
    monkeypatch.setattr(cost_model.WorkflowCost, "_job", lambda self, job: pytest.fail("a job's cost built"))
    # lint 1 + test 9 jobs a run at the longest class, push and pull-request runs, share 0.2
    model = cost_model.WorkflowCost(wf, ceiling=True)
    runs = model.runs_per_month("push")[0] + model.runs_per_month("pull_request")[0]
    assert model.bound(stake("superseded")) == pytest.approx(runs * 10 * max(model.minutes_table.values()) * 0.2)
    assert model.bound(stake("hang")) is None
    caller = workflow("on: push\njobs:\n  call:\n    uses: ./.github/workflows/b.yml\n")
    assert cost_model.WorkflowCost(caller, ceiling=True).bound(stake("superseded")) is None
    negative = cost_model.WorkflowCost(wf, cost_model.CostOptions(runs={"push": -5}), ceiling=True)
    assert negative.bound(stake("superseded")) is None


@pytest.mark.parametrize("measure", ["hang", "storage"])
def test_figures_that_do_not_grow_with_minutes_are_never_priced_on_the_ceiling(measure):
    assert not cost_findings._grows_with_minutes(stake(measure))
    assert not cost_findings._grows_with_minutes(stake("share", minutes_per_run=2))


def _partition(wf, found, cost):
    shown, hidden = cost_findings.price(found, wf, cost, "ci.yml")
    return [f.message for f in shown], [f.message for f in hidden]


@pytest.mark.min_savings  # "default": the shipped bars
@pytest.mark.parametrize("bar", ["default", 0, 150, 2000, 40000])
@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_hiding_on_the_ceiling_hides_what_the_full_price_hides(name, bar, monkeypatch):
    wf = workflow(WORKFLOWS[name])
    found = [Finding(span=Span(0, 0), message=f"finding {i}", properties={"stake": s}) for i, s in enumerate(STAKES)]
    cost = {"min-savings": bar}
    with_ceiling = _partition(wf, found, cost)
    # the same findings priced in full: a "ceiling" that is the model itself
    monkeypatch.setattr(cost_model, "ceiling_for", lambda wf, cost, repo_path=None: cost_model.model_for(wf, cost, repo_path))
    cost_model._LAST[:] = [None, None, None]
    assert _partition(wf, found, cost) == with_ceiling


@pytest.mark.min_savings
def test_a_quiet_bot_workflow_is_hidden_without_classifying_its_jobs(monkeypatch):
    wf = workflow(WORKFLOWS["bots"])
    cost_model._LAST[:] = [None, None, None]

    def classify(*args, **kwargs):
        raise AssertionError("job classes asked for")

    monkeypatch.setattr(cost_model, "classify_job", classify)
    finding = Finding(span=Span(0, 0), message="m", properties={"stake": stake("superseded")})
    shown, hidden = cost_findings.price([finding], wf, {"min-savings": "default"}, "ci.yml")
    assert shown == [] and len(hidden) == 1 and hidden[0].properties[cost_findings.HIDDEN]


def test_a_model_already_built_is_used_as_it_is(monkeypatch):
    wf = workflow(WORKFLOWS["matrix build"])
    built = cost_model.model_for(wf, {"min-savings": "default"}, "ci.yml")
    monkeypatch.setattr(cost_model, "ceiling_for", lambda *a, **k: pytest.fail("ceiling built"))
    finding = Finding(span=Span(0, 0), message="m", properties={"stake": stake("superseded")})
    shown, hidden = cost_findings.price([finding], wf, {"min-savings": "default"}, "ci.yml")
    priced = (shown + hidden)[0]
    assert priced.properties["minutes_per_month"] == built.price(stake("superseded"))["minutes_per_month"]


def _corpus_sample(step: int):
    import os

    from helpers import CORPUS

    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(CORPUS) for name in names
                   if name.endswith((".yml", ".yaml")))
    return paths[::step]


@pytest.mark.skipif(not __import__("helpers").CORPUS.is_dir(), reason="../shared/corpus is not available")
def test_on_real_workflows_the_ceiling_is_never_below_the_model():
    # Every finding with a stake that grows with minutes, from every rule, on an eighth of the
    # corpus: the ceiling's minutes are never below the model's (so hiding on it is safe).
    from wflint.cost.matrix import job_matrix, size_bound
    from wflint.engine import lint_source, settings_for
    from wflint.rules import CATALOG

    settings = settings_for([entry[1] for entry in CATALOG])
    checked = 0
    for path in _corpus_sample(8):
        with open(path, "rb") as handle:
            try:
                source = Source.from_bytes(path, handle.read())
            except ValueError:
                continue
        result = lint_source(source, settings)
        if result.workflow is None:
            continue
        for finding in result.findings + result.hidden:
            at_stake = finding.properties.get("stake")
            if not isinstance(at_stake, dict) or not cost_findings._grows_with_minutes(at_stake):
                continue
            exact = cost_model.WorkflowCost(result.workflow).price(at_stake)["minutes_per_month"]
            ceiling = cost_model.WorkflowCost(result.workflow, ceiling=True)
            most = ceiling.price(at_stake)["minutes_per_month"]
            assert most >= exact, (path, finding.slug, most, exact)
            rough = ceiling.bound(at_stake)
            assert rough is None or rough >= most - 0.5, (path, finding.slug, rough, most)
            for job in result.workflow.jobs:
                if yn.is_map(job.node):
                    assert size_bound(job.node) >= (job_matrix(job.node).size or 1), (path, job.id)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("matrix, least", [
    ("", 1),
    ("    strategy: ${{ fromJSON(needs.a.outputs.m) }}\n", 1),
    ("    strategy:\n      matrix:\n        os: [a, b]\n        py: [1, 2, 3]\n", 6),
    ("    strategy:\n      matrix:\n        os: [a, b]\n        exclude: [{os: a}]\n        include: [{os: c}, {os: a, x: 1}]\n", 4),
    ("    strategy:\n      matrix:\n        os: []\n", 1),
    ("    strategy:\n      matrix:\n        os: [a, b]\n        os: [c]\n", 2),  # a repeated axis: the last counts
    ("    strategy:\n      matrix:\n        <<: {os: [a, b, c]}\n        py: [1, 2]\n", 6),  # a merged axis
    ("    strategy:\n      matrix:\n        a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]\n"
     "        b: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]\n", 256),
])
def test_the_size_bound_is_never_below_the_matrix(matrix, least):
    from wflint.cost.matrix import job_matrix, size_bound

    wf = workflow("on: push\njobs:\n  j:\n    runs-on: x\n" + matrix + "    steps:\n      - run: x\n")
    node = wf.jobs[0].node
    assert size_bound(node) >= (job_matrix(node).size or 1)
    assert size_bound(node) == least
