"""What the ``cost`` and ``usage`` commands do once their options are parsed."""

from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

EXIT_OK, EXIT_ERROR = 0, 2
EXIT_NO_WORKFLOWS = 3  # `wflint cost` found no workflow file to estimate (README: Exit codes)


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
             prices_file: Optional[str], public: bool, jobs: int, cwd: str, config_file: Optional[str] = None,
             no_config: bool = False, history: Optional[str] = None) -> int:
    """``wflint cost``: the configuration (``--config``/``--no-config``, ``[tool.wflint.cost]``) is read as
    ``check`` reads it; the cost model prices every workflow with the history file when there is one."""
    from ..config import ConfigError, resolve_settings
    from . import crowding, render, repos
    from .pricing import PriceError

    try:
        settings, _ = resolve_settings(cwd=cwd, paths=paths, config_file=config_file, no_config=no_config,
                                       cost={"history": history, "visibility": "public" if public else None,
                                             "prices-file": prices_file})
    except ConfigError as exc:
        for line in str(exc).splitlines():
            _error(line)
        return EXIT_ERROR
    cost = dict(settings.extra.get("cost") or {})
    try:
        prices = _prices(cost.get("prices-file"), cost.get("visibility") == "public", cwd)
    except PriceError as exc:
        _error(str(exc))
        return EXIT_ERROR
    targets, errors = repos.targets(paths, cwd, recursive)
    for message in errors:
        _error(message)
    if not targets:
        return EXIT_ERROR
    reports = repos.analyse(targets, prices, settings if with_fixes else None, jobs=jobs, progress=_progress(), cost=cost)
    if not any(r.workflows for r in reports):
        where = ", ".join(paths) if paths else os.path.join(targets[0].root, ".github", "workflows")
        sys.stderr.write(f"wflint: warning: no workflow files found in {where}; nothing to estimate\n")
        return EXIT_ERROR if errors else EXIT_NO_WORKFLOWS
    crowd = crowding.analyse(_crowding_items(reports, cwd), _min_interval(settings if with_fixes else None))
    _emit(render.FORMATS[fmt](reports, prices, crowd, with_fixes), output)
    return EXIT_ERROR if errors else EXIT_OK


def run_cost_base(paths: Sequence[str], base: str, fmt: str, output: Optional[str], prices_file: Optional[str],
                  public: bool, history_file: Optional[str], fail_over: Optional[float], cwd: str,
                  config_file: Optional[str] = None, no_config: bool = False) -> int:
    """``cost --base REF``: the working tree's workflows against those of a commit (see ``delta``);
    the configuration's ``[cost]`` settings (minutes, runs, visibility, history) apply as in ``cost``."""
    from ..config import ConfigError, resolve_settings
    from .delta_cmd import run, saved_history

    raw = history_file if history_file and not saved_history(history_file) else None
    try:
        settings, _ = resolve_settings(cwd=cwd, paths=(), config_file=config_file, no_config=no_config,
                                       cost={"history": None if raw else history_file,
                                             "visibility": "public" if public else None, "prices-file": prices_file})
    except ConfigError as exc:
        for line in str(exc).splitlines():
            _error(line)
        return EXIT_ERROR
    return run(paths, base, fmt, output, prices_file, public, raw, fail_over, cwd, dict(settings.extra.get("cost") or {}))


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
              runner: str, prices_file: Optional[str], fmt: str, output: Optional[str], save: Optional[str] = None,
              public: bool = False) -> int:
    from . import history, usage
    from .api import ApiError, fetch_runs
    from .pricing import PriceError

    try:
        prices = _prices(prices_file, public, os.getcwd())
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
        _error("give run-history files (`gh run list --json ...`, `gh run view ID --json databaseId,jobs`, "
               "saved REST pages, a billing usage report CSV) or --repo OWNER/NAME")
        return EXIT_ERROR
    sources = history.Sources()
    try:
        for path in files:
            history.read(path, sources)
        if repo:
            token = os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
            fetched = fetch_runs(repo, token, api_url=api_url, since=since_date, max_pages=max_pages, progress=_progress_pages())
            sources.runs.extend(usage.normalise(fetched.runs))
            if sys.stderr.isatty():
                sys.stderr.write("\n")
            if fetched.truncated:
                sys.stderr.write(f"wflint: note: stopped after {fetched.pages} page(s) of {fetched.total_count} runs; raise --max-pages for more\n")
    except (usage.HistoryError, ApiError) as exc:
        _error(str(exc))
        return EXIT_ERROR
    if since_date:
        sources.runs = [r for r in sources.runs if r.created.date() >= since_date]
    if save:
        try:
            history.save(history.summarise(sources), save)
        except usage.HistoryError as exc:
            _error(str(exc))
            return EXIT_ERROR
        except OSError as exc:
            _error(f"{save}: cannot write the history file: {exc.strerror or exc}")
            return EXIT_ERROR
        sys.stderr.write(f"wflint: saved the history of {len(sources.runs)} runs to {save}; "
                         "`wflint` and `wflint cost` read it from there (commit it or cache it in CI)\n")
    report = usage.summarise(sources.runs, prices, runner, since=since_date, billing=history.job_billing(sources, prices, runner))
    _emit(usage.FORMATS[fmt](report), output)
    return EXIT_OK


def _progress_pages():
    if not sys.stderr.isatty():
        return None

    def show(page: int, runs: int) -> None:
        sys.stderr.write(f"\rfetched page {page} ({runs} runs)")
        sys.stderr.flush()

    return show
