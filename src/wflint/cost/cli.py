"""What the ``cost`` and ``usage`` commands do once their options are parsed."""

from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

EXIT_OK, EXIT_ERROR = 0, 2


def _emit(text: str, output: Optional[str]) -> None:
    if output:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _error(message: str) -> None:
    sys.stderr.write(f"wflint: error: {message}\n")


def _progress():
    """A progress bar on stderr when it is a terminal; otherwise nothing."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        sys.stderr.write(f"\r[{'#' * filled}{' ' * (width - filled)}] {done}/{total} repositories")
        if done == total:
            sys.stderr.write("\r" + " " * (width + 40) + "\r")
        sys.stderr.flush()

    return show


def _prices(prices_file: Optional[str], public: bool, cwd: str):
    from ..discovery import find_repo_root
    from .pricing import configured_prices_file, load

    return load(prices_file or configured_prices_file(find_repo_root(cwd)), public=public)


def run_cost(paths: Sequence[str], recursive: bool, with_fixes: bool, fmt: str, output: Optional[str],
             prices_file: Optional[str], public: bool, jobs: int, cwd: str) -> int:
    from . import crowding, render, repos
    from .pricing import PriceError

    try:
        prices = _prices(prices_file, public, cwd)
    except PriceError as exc:
        _error(str(exc))
        return EXIT_ERROR
    settings = None
    if with_fixes:
        from ..config import ConfigError, resolve_settings

        try:
            settings, _ = resolve_settings(cwd=cwd, paths=paths)
        except ConfigError as exc:
            _error(str(exc))
            return EXIT_ERROR
    targets, errors = repos.targets(paths, cwd, recursive)
    for message in errors:
        _error(message)
    if not targets:
        return EXIT_ERROR
    reports = repos.analyse(targets, prices, settings, jobs=jobs, progress=_progress())
    crowd = crowding.analyse(_crowding_items(reports, cwd), _min_interval(settings))
    _emit(render.FORMATS[fmt](reports, prices, crowd, with_fixes), output)
    return EXIT_ERROR if errors else EXIT_OK


def _crowding_items(reports, cwd: str):
    """(repository, path, schedules, stagger key): the key the lint fixes use for the same file."""
    from ..config import repo_root
    from ..stagger import workflow_key

    items = []
    for r in reports:
        for wf in r.workflows:
            if wf.schedules:
                absolute = os.path.join(r.root, wf.path)
                items.append((r.name, wf.path, wf.schedules, workflow_key(absolute, repo_root([absolute], cwd))))
    return items


def _min_interval(settings) -> Optional[int]:
    """cron-too-frequent's minimum interval when that rule runs (its default without --with-fixes)."""
    from ..rules import cron_too_frequent

    rule = cron_too_frequent.RULE
    if settings is None:
        return int(rule.options["min-interval"])
    if not settings.enabled(rule.slug):
        return None
    return int(rule.options_with(settings.options.get(rule.slug)).get("min-interval", 15))


def run_usage(files: Sequence[str], repo: Optional[str], api_url: str, since: Optional[str], max_pages: int,
              runner: str, prices_file: Optional[str], fmt: str, output: Optional[str]) -> int:
    from . import usage
    from .api import ApiError, fetch_runs
    from .pricing import PriceError

    try:
        prices = _prices(prices_file, False, os.getcwd())
    except PriceError as exc:
        _error(str(exc))
        return EXIT_ERROR
    if prices.per_minute(runner) is None:
        _error(f"unknown runner `{runner}`; the price table has: {', '.join(sorted(prices.prices))}")
        return EXIT_ERROR
    try:
        since_date = usage.parse_date(since) if since else None
    except ValueError:
        _error(f"--since {since}: expected a date such as 2026-01-31")
        return EXIT_ERROR
    if not files and not repo:
        _error("give run-history files (from `gh run list --json ...` or saved REST pages) or --repo OWNER/NAME")
        return EXIT_ERROR
    runs = []
    try:
        for path in files:
            runs.extend(usage.load_file(path))
        if repo:
            token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
            fetched = fetch_runs(repo, token, api_url=api_url, since=since_date, max_pages=max_pages, progress=_progress_pages())
            runs.extend(usage.normalise(fetched.runs))
            if sys.stderr.isatty():
                sys.stderr.write("\n")
            if fetched.truncated:
                sys.stderr.write(f"wflint: note: stopped after {fetched.pages} page(s) of {fetched.total_count} runs; raise --max-pages for more\n")
    except (usage.HistoryError, ApiError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    if since_date:
        runs = [r for r in runs if r.created.date() >= since_date]
    report = usage.summarise(runs, prices, runner, since=since_date)
    _emit(usage.FORMATS[fmt](report), output)
    return EXIT_OK


def _progress_pages():
    if not sys.stderr.isatty():
        return None

    def show(page: int, runs: int) -> None:
        sys.stderr.write(f"\rfetched page {page} ({runs} runs)")
        sys.stderr.flush()

    return show
