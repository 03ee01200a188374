"""The rule registry: every built-in rule, in one place, plus plugins from entry points.

To add a rule: write ``rules/<slug_with_underscores>.py`` defining ``RULE``, add it
to ``BUILTIN`` below, and write ``rules/<slug>.md`` at the repository root.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional

from . import (
    artifact_retention,
    build_without_compiler_cache,
    bot_job_on_full_runner,
    browser_download_every_run,
    cancel_in_progress_on_release,
    checkout_full_history,
    concurrency_group_never_matches,
    concurrency_group_too_broad,
    cron_too_frequent,
    docker_build_without_cache,
    duplicate_key,
    duplicate_triggers,
    expensive_runner,
    heavy_jobs_not_gated,
    full_clone_for_diff,
    full_matrix_on_expensive_runners,
    internal_error,
    invalid_cron,
    invalid_workflow,
    invalid_yaml,
    matrix_fail_fast_disabled,
    missing_concurrency,
    missing_dependency_cache,
    missing_path_filters,
    missing_timeout,
    os_independent_work_on_expensive_runner,
    release_build_on_pull_request,
    reusable_workflow_concurrency,
    runner_idles_waiting,
    schedule_top_of_hour,
    scheduled_run_without_changes,
    skips_change_detection,
    static_cache_key,
    tag_push_ignores_paths,
    timeout_too_long,
    unused_suppression,
)
from .base import Context, Rule

BUILTIN: List[Rule] = [
    missing_concurrency.RULE,
    cron_too_frequent.RULE,
    missing_timeout.RULE,
    missing_path_filters.RULE,
    invalid_cron.RULE,
    duplicate_triggers.RULE,
    missing_dependency_cache.RULE,
    artifact_retention.RULE,
    cancel_in_progress_on_release.RULE,
    concurrency_group_too_broad.RULE,
    reusable_workflow_concurrency.RULE,
    schedule_top_of_hour.RULE,
    timeout_too_long.RULE,
    tag_push_ignores_paths.RULE,
    matrix_fail_fast_disabled.RULE,
    checkout_full_history.RULE,
    expensive_runner.RULE,
    release_build_on_pull_request.RULE,
    build_without_compiler_cache.RULE,
    heavy_jobs_not_gated.RULE,
    skips_change_detection.RULE,
    os_independent_work_on_expensive_runner.RULE,
    runner_idles_waiting.RULE,
    scheduled_run_without_changes.RULE,
    concurrency_group_never_matches.RULE,
    docker_build_without_cache.RULE,
    static_cache_key.RULE,
    bot_job_on_full_runner.RULE,
    browser_download_every_run.RULE,
    full_clone_for_diff.RULE,
    full_matrix_on_expensive_runners.RULE,
    invalid_yaml.RULE,
    invalid_workflow.RULE,
    duplicate_key.RULE,
    unused_suppression.RULE,
    internal_error.RULE,
]

__all__ = ["BUILTIN", "Context", "Rule", "all_rules", "find"]


def all_rules(extra: Iterable[Rule] = ()) -> List[Rule]:
    return sorted([*BUILTIN, *extra], key=lambda r: r.code)


def by_id(rules: Iterable[Rule]) -> Dict[str, Rule]:
    """Rules by code and by slug (both lower-cased)."""
    table: Dict[str, Rule] = {}
    for rule in rules:
        table[rule.code.lower()] = rule
        table[rule.slug.lower()] = rule
    return table


def find(rule_id: str, rules: Optional[Iterable[Rule]] = None) -> Optional[Rule]:
    return by_id(rules if rules is not None else BUILTIN).get(rule_id.strip().lower())
