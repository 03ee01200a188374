"""The command line: parse options, hand them to the runner, print the report, return the exit code.

Exit codes: 0 no findings left, 1 findings left (or, with --exit-non-zero-on-fix, a
file was fixed), 2 usage, configuration, I/O or load error (or an internal error in a rule),
3 nothing to check: no workflow file found, or a file named on the command line is not a
workflow (a YAML mapping with neither ``on:`` nor ``jobs:``); 2 wins over 3, 3 over 1.
"""

from __future__ import annotations

import os
import sys
from typing import Optional, Sequence

import click

from . import __version__

from .checkcmd import EXIT_ERROR, EXIT_FINDINGS, EXIT_NOTHING, EXIT_OK  # noqa: F401 (the exit codes, documented above)


class _DefaultGroup(click.Group):
    """``wflint [OPTIONS] [PATHS]`` means ``wflint check``; known words name subcommands."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="wflint", message="%(prog)s %(version)s")
def cli() -> None:
    """Find and fix what wastes GitHub Actions minutes.

    Run `wflint` in a repository to lint .github/workflows, or `wflint check --help`
    for every option of the default command.
    """


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, apply unsafe fixes too.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--select", multiple=True, metavar="RULES", help="Only these rules (codes or slugs, comma-separated).")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Add rules to the selection (e.g. opt-in rules).")
@click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default=None, help="Output format (default: text; github inside a GitHub Actions step unless --output is given).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the report to this file.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain (errors still exit 2).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix, exit 1 when a file was changed, even if no finding remains.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="Read configuration from this file.")
@click.option("--no-config", is_flag=True, help="Ignore every configuration file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--strict", is_flag=True, help="Also report suppression comments that silence nothing.")
@click.option("--verbose", "-v", is_flag=True, help="Say more: parser in use, tracebacks of internal errors.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: only on a terminal).")
@click.option("--min-savings", type=click.FloatRange(min=0), default=None, metavar="MINUTES", help="Hide cost findings saving fewer minutes a month (default 150 with run history, 1000 for static estimates; set, one bar for both; 0 shows all).")
@click.option("--sort", "sort_by", type=click.Choice(["location", "savings"]), default="location", help="Order findings by file and line (default) or by what fixing them saves, most first.")
@click.option("--history", "history_file", type=click.Path(dir_okay=False), default=None, help="Run history saved by `wflint usage --save` (default: .github/wflint-history.json if present).")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them (text format).")
@click.option("--show-fixes", is_flag=True, help="With --fix or --diff, list each finding fixed (text format).")
def check(**options):
    """Lint workflow files (the default command)."""
    from .checkcmd import check as run_check

    sys.exit(run_check(**options))


@cli.command("rules")
@click.option("--all", "show_all", is_flag=True, help="Include internal rules (load and engine errors).")
def rules_cmd(show_all):
    """List every rule: code, slug, default (on, off, or `history`: on when a run-history file exists), fix safety, summary."""
    from .config import load_plugins
    from .rules import all_rules

    plugins, problems = load_plugins()
    for problem in problems:
        click.echo(f"wflint: error: {problem}", err=True)
    shown = [rule for rule in all_rules(plugins) if show_all or not rule.system]
    width = max([32, *(len(rule.slug) for rule in shown)])
    for rule in shown:
        default = "on     " if rule.default else "history" if rule.with_history else "off    "
        fix = rule.fix.value if rule.fix else "-"
        click.echo(f"{rule.code}  {rule.slug:<{width}} {default}  fix:{fix:<6}  {rule.summary}")


@cli.command("rule")
@click.argument("rule_id")
def rule_cmd(rule_id):
    """Print a rule's documentation page."""
    from .config import load_plugins
    from .docs import page_for, render_terminal
    from .rules import all_rules, find

    plugins, _ = load_plugins()
    rule = find(rule_id, all_rules(plugins))
    if rule is None:
        click.echo(f"wflint: error: unknown rule `{rule_id}` (see `wflint rules`)", err=True)
        sys.exit(EXIT_ERROR)
    page = page_for(rule)
    if page is None:
        click.echo(f"{rule.code} {rule.slug}: {rule.summary}")
        return
    click.echo(render_terminal(page, colour=sys.stdout.isatty()))


@cli.command("cost", short_help="Estimate monthly runs, billed minutes and dollars.")
@click.argument("paths", nargs=-1)
@click.option("--recursive", "-r", is_flag=True, help="Each PATH is a folder of repository checkouts.")
@click.option("--with-fixes", is_flag=True, help="Also show before -> after for the fixes wflint would apply (nothing is written).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the report to this file.")
@click.option("--prices", "prices_file", type=click.Path(dir_okay=False), default=None, help="TOML or JSON file overriding the price table.")
@click.option("--public", is_flag=True, help="Public repositories: standard hosted runners cost nothing.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, help="Repositories processed in parallel (default: one per core).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="Read configuration from this file.")
@click.option("--no-config", is_flag=True, help="Ignore every configuration file.")
@click.option("--history", "history_file", type=click.Path(dir_okay=False), default=None, help="Run history saved by `wflint usage --save` (default: .github/wflint-history.json if present).")
@click.option("--base", default=None, metavar="REF", help="Compare the working tree's workflows with those of this git commit (per changed workflow and in total).")
@click.option("--fail-over", type=click.FloatRange(min=0), default=None, metavar="USD", help="With --base: exit 1 when the monthly cost grows by more than USD.")
def cost_cmd(paths, recursive, with_fixes, fmt, output, prices_file, public, jobs, config_file, no_config, history_file, base, fail_over):
    """Estimate what workflows cost a month: runs, billed minutes and dollars, from history or an estimate.

    With --base REF: what the working tree's workflows cost against the same workflows at REF.
    Exit codes: 0 estimated, 1 over --fail-over, 2 usage/configuration/read error, 3 no workflow file found.
    """
    from .cost.cli import run_cost, run_cost_base

    if base is not None:
        sys.exit(run_cost_base(paths, base, fmt, output, prices_file, public, history_file, fail_over, os.getcwd(),
                               config_file, no_config))
    if fail_over is not None:
        click.echo("wflint: error: --fail-over goes with --base", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(run_cost(paths, recursive, with_fixes, fmt, output, prices_file, public, jobs, os.getcwd(),
                      config_file, no_config, history_file))


@cli.command("usage", short_help="Usage and waste from real run history.")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--repo", default=None, metavar="OWNER/NAME", help="Fetch run history from the REST API (token from GITHUB_TOKEN).")
@click.option("--api-url", default="https://api.github.com", show_default=True, help="REST API root (GitHub Enterprise Server: https://HOST/api/v3).")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only runs created on or after this date.")
@click.option("--max-pages", type=click.IntRange(min=1), default=10, show_default=True, help="Stop fetching after this many pages of 100 runs.")
@click.option("--runner", default="linux-2", show_default=True, help="Price-table runner assumed for every billed minute.")
@click.option("--prices", "prices_file", type=click.Path(dir_okay=False), default=None, help="TOML or JSON file overriding the price table.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write the report to this file.")
@click.option("--save", default=None, is_flag=False, flag_value=".github/wflint-history.json", metavar="FILE",
              help="Also save the history lint reads offline (default file: .github/wflint-history.json).")
@click.option("--public", is_flag=True, help="Public repository: standard hosted runners cost nothing.")
def usage_cmd(files, repo, api_url, since, max_pages, runner, prices_file, fmt, output, save, public):
    """Real usage from run history: `gh run list --json ...` and `gh run view --json databaseId,jobs`
    output, saved REST pages of runs and jobs, billing usage report CSVs, or --repo."""
    from .cost.cli import run_usage

    sys.exit(run_usage(files, repo, api_url, since, max_pages, runner, prices_file, fmt, output, save, public))


@cli.command("clean")
def clean_cmd():
    """Remove the result cache (.wflint_cache/ at the repository root)."""
    from .cache import CACHE_DIR, clean
    from .discovery import find_repo_root

    root = find_repo_root(os.getcwd())
    try:
        removed = clean(root)
    except OSError as exc:
        click.echo(f"wflint: error: cannot remove {os.path.join(root, CACHE_DIR)}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)
    where = os.path.join(root, CACHE_DIR)
    click.echo(f"Removed {where}." if removed else f"No cache at {where}.")


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="wflint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        # One style for every error: `wflint: error: ...`, as for configuration errors.
        command = exc.ctx.command_path if exc.ctx is not None else "wflint"
        click.echo(f"wflint: error: {exc.format_message()} See `{command} --help`.", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
