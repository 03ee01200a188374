"""The check command (``wflint``, ``wflint check``): settings, run, report, exit code.

It does not import click: ``cli`` calls it with click's parsed options, and ``entry``
with the same options parsed from a plain command line without loading click (a
pre-commit run starts a process for a handful of files, and click is a fifth of it).
Output goes through ``echo``, which writes and flushes as ``click.echo`` does.
"""

from __future__ import annotations

import os
import re
import sys
from typing import List, Optional, Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_NOTHING = 0, 1, 2, 3

# An ANSI escape sequence (CSI): what a terminal reads as colour or cursor movement.
_ANSI = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")


def echo(message: str = "", err: bool = False, nl: bool = True, color: Optional[bool] = None) -> None:
    """Write ``message`` to stdout (stderr with ``err``) and flush; escape sequences are
    removed unless ``color`` is True or (``color`` None) the stream is a terminal."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    out = message + "\n" if nl else message
    if out and (color is False or (color is None and not _isatty(stream))):
        out = _ANSI.sub("", out)
    if out:
        stream.write(out)
    stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except Exception:  # a closed or odd stream: treat as not a terminal
        return False


def warn(message: str) -> None:
    echo(f"wflint: warning: {message}", err=True)


def usage_error(message: str) -> int:
    """A wrong combination of options: said as click says a usage error of ``wflint check``."""
    echo(f"wflint: error: {message} See `wflint check --help`.", err=True)
    return EXIT_ERROR


def _quiet_gc():
    """Rarer garbage collections during a run: a lint makes hundreds of thousands of short-lived
    objects (YAML nodes) and almost no reference cycles, so a collection every 700 allocations
    would scan live graphs for nothing; one every 100,000 still frees what a cycle would hold
    (a rule's closure keeping a graph).  What is loaded by now (modules, settings) is frozen:
    collections never scan it (``gc.unfreeze`` after the run).  Collection is on (``entry``
    turns it off while modules load).  Returns the thresholds to put back."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 50)
    gc.freeze()
    gc.enable()
    return before


def split(values: Sequence[str]) -> List[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def check(paths, fix, unsafe_fixes, diff, select, extend_select, ignore, fmt, output, exit_zero, exit_non_zero_on_fix,
          config_file, no_config, no_cache, strict, verbose, color, min_savings, sort_by, history_file, statistics,
          show_fixes) -> int:
    """Lint workflow files; the exit code (see ``cli``)."""
    from . import __version__
    from .lazyre import deferred

    with deferred():  # wflint's patterns compiled when first used (see lazyre)
        from .config import ConfigError, resolve_settings
        from .report import render
        from .runner import RunOptions, run

    cwd = os.getcwd()
    if statistics and fmt not in (None, "text"):
        return usage_error(f"--statistics counts findings in the text format, not --format {fmt}.")
    try:
        settings, exclude = resolve_settings(
            cwd=cwd,
            paths=paths,
            config_file=config_file,
            no_config=no_config,
            select=split(select) if select else None,  # `--select ''` is an empty selection: an error
            extend_select=split(extend_select),
            ignore=split(ignore),
            strict=strict,
            cost={"min-savings": min_savings, "history": history_file},
        )
    except ConfigError as exc:
        for line in str(exc).splitlines():
            echo(f"wflint: error: {line}", err=True)
        return EXIT_ERROR
    if show_fixes and not (fix or diff):
        warn("--show-fixes lists what --fix or --diff fixes; without either there is nothing to list")
    if exit_non_zero_on_fix and not fix:
        warn("--exit-non-zero-on-fix does nothing without --fix")
    if unsafe_fixes and not (fix or diff):
        warn("--unsafe-fixes does nothing without --fix or --diff (try `wflint --fix --unsafe-fixes`)")
    if verbose:
        echo(f"wflint {__version__}: configuration: {settings.config_file or 'none'}", err=True)
        from .yamlnode import c_parser_available

        parser = "C (ruamel.yaml.clib)" if c_parser_available() else "pure Python (ruamel.yaml.clib is not installed)"
        echo(f"wflint {__version__}: YAML parser: {parser}", err=True)
    opts = RunOptions(
        paths=paths,
        settings=settings,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        exclude=exclude,
        cwd=cwd,
        use_cache=not no_cache,
    )
    import gc

    thresholds = _quiet_gc()
    try:
        report = run(opts)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
    if sort_by == "savings":
        from .cost.findings import sort_key

        report.order = sort_key
    # Only non-workflows, or no file at all (files left out by `exclude` are not "nothing found":
    # pre-commit passes excluded files and expects success).
    nothing = not report.checked and not report.has_errors and not report.excluded
    if nothing and not report.not_workflows:
        where = ", ".join(paths) if paths else os.path.join(settings.repo_root or cwd, ".github", "workflows")
        warn(f"no workflow files found in {where}; nothing was checked")
    for message in report.not_workflows:
        warn(message)
    for message in report.errors:
        echo(f"wflint: error: {message}", err=True)
    for file in report.files:
        if file.error:
            echo(f"wflint: error: {file.error}", err=True)
    if fmt is None:
        # In a GitHub Actions step, findings become annotations unless the report goes to a file.
        auto = os.environ.get("GITHUB_ACTIONS") == "true" and output is None and not diff
        fmt = "github" if auto else "text"
    colour = color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    stdin_fixed = [f.fixed_text for f in report.files if f.fixed_text is not None]
    if statistics:
        fmt = "text"
    text = render(fmt, report, colour=bool(colour), verbose=verbose, settings=settings, warn=warn, statistics=statistics, list_fixed=show_fixes)
    if stdin_fixed and not diff:
        # `-` under --fix: the fixed workflow goes to stdout, the report to stderr.
        sys.stdout.buffer.write(stdin_fixed[0])
        sys.stdout.flush()
        echo(text, err=True, nl=False)
    elif output:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            echo(f"wflint: error: {output}: cannot write the report: {exc.strerror or exc}", err=True)
            return EXIT_ERROR
    elif not (nothing and fmt in ("text", "github")):  # nothing checked: the warnings say it all
        echo(text, nl=False, color=bool(colour))
    if report.has_errors:
        return EXIT_ERROR
    if nothing or report.not_workflows:
        return EXIT_NOTHING
    if exit_non_zero_on_fix and fix and not diff and report.fixed:
        return EXIT_FINDINGS
    if exit_zero:
        return EXIT_OK
    if report.findings or (diff and report.would_change):
        return EXIT_FINDINGS
    return EXIT_OK
