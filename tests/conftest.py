"""Shared test set-up: hypothesis profiles.

``default`` is small and deterministic (the same examples on every run);
``ci`` runs many more: ``python3 -m pytest --hypothesis-profile=ci``.
"""

import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

settings.register_profile(
    "default",
    max_examples=60,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "ci",
    max_examples=1500,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile("default")


import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _show_every_finding(request, monkeypatch):
    """Most tests lint tiny workflows whose findings the default ``min-savings`` would hide:
    they run with a threshold of 0; tests marked ``min_savings`` keep the shipped default."""
    if request.node.get_closest_marker("min_savings") is None:
        import wflint.cost.defaults

        monkeypatch.setattr(wflint.cost.defaults, "MIN_SAVINGS", 0)
        monkeypatch.setattr(wflint.cost.defaults, "MIN_SAVINGS_ESTIMATE", 0)


@pytest.fixture(autouse=True)
def _example_rules_on(request, monkeypatch):
    """The tests of generic features (configuration, suppressions, SARIF, fixes, hostile input)
    use missing-concurrency, missing-path-filters and missing-timeout as their example rules;
    strict reviews made the last two opt-in (missing-timeout is on with a history file): those
    tests run with the three on by default, as the tests were written; tests marked
    ``shipped_defaults`` (and every subprocess) see the shipped defaults."""
    if request.node.get_closest_marker("shipped_defaults") is None:
        import dataclasses

        import wflint.rules as registry

        example = ("missing-concurrency", "missing-path-filters", "missing-timeout")
        monkeypatch.setattr(registry, "CATALOG", tuple((code, slug, registry.ON if slug in example else default)
                                                      for code, slug, default in registry.CATALOG))
        for slug in example:
            monkeypatch.setitem(registry._loaded, slug, dataclasses.replace(registry.load(slug), default=True))


@pytest.fixture
def count_lints(monkeypatch):
    """The display path of every file the runner lints (a cache hit is not linted)."""
    from wflint import runner

    calls = []
    real = runner.lint_bytes

    def counting(target, data, opts):
        calls.append(target.display)
        return real(target, data, opts)

    monkeypatch.setattr(runner, "lint_bytes", counting)
    return calls
