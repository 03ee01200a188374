"""The GitHub Action's step (``action.yml`` runs ``python -m wflint.action``).

Reads the action's inputs from ``WFLINT_*`` variables and the runner's ``GITHUB_*``
variables and files, then:

1. lints the repository (``GITHUB_WORKSPACE``) with ``--format github``: findings become
   annotations;
2. writes SARIF when the ``sarif`` input names a file;
3. appends to ``$GITHUB_STEP_SUMMARY`` the findings ranked by what they save a month and,
   on a pull request (or merge queue), ``wflint cost --base`` against the base commit —
   fetched with ``git fetch --depth=1 origin SHA`` only when the checkout lacks it;
4. writes the outputs (``findings``, ``sarif``, ``errors``, ``monthly-cost-change``) to
   ``$GITHUB_OUTPUT``.

Exit status: 2 when wflint could not check a file (or the inputs are bad), 1 when findings
remain and ``fail-on-findings`` is true, else 0.  Every wflint run goes through the
command line (``wflint.cli.main``), so ``args`` means what it means on a terminal.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import subprocess
import sys
import tempfile
from typing import Dict, List, Optional, Sequence, Tuple

PR_EVENTS = ("pull_request", "pull_request_target")
TOP = 25  # findings listed in the summary
TRUE = ("true", "1", "yes", "on")


class InputError(Exception):
    pass


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _wflint(args: Sequence[str], cwd: str) -> Tuple[int, str, str]:
    """Run the command line in-process from ``cwd``: (exit code, stdout, stderr)."""
    from .cli import main

    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(here)
    return code, out.getvalue(), err.getvalue()


def sort_supported() -> bool:
    """Whether ``wflint check`` ranks findings itself (``--sort savings``)."""
    from .cli import check

    return any(getattr(p, "name", None) == "sort" for p in check.params)


def savings(finding: dict) -> Tuple[float, float]:
    """(dollars, minutes) a finding's fix saves a month, as far as the report says.

    SEAM: the pricing contract (``wflint.stake``) has the cost model write
    ``usd_per_month`` / ``minutes_per_month`` for each finding's stake; until that is
    merged, cron-too-frequent's ``monthly_minutes_saved`` is the only figure.  When
    ``check --sort savings`` exists, the report's own order is used instead (``rank``).
    """
    props = finding.get("properties") or {}
    for where in (props.get("savings"), props.get("stake"), props):
        if isinstance(where, dict) and ("usd_per_month" in where or "minutes_per_month" in where):
            return float(where.get("usd_per_month") or 0.0), float(where.get("minutes_per_month") or 0.0)
    return 0.0, float(props.get("monthly_minutes_saved") or 0.0)


def rank(findings: List[dict], sorted_by_wflint: bool) -> List[dict]:
    if sorted_by_wflint:
        return list(findings)
    return sorted(findings, key=lambda f: (-savings(f)[0], -savings(f)[1], f.get("path") or "", f.get("line") or 0))


def _saves(finding: dict) -> str:
    usd, minutes = savings(finding)
    parts = []
    if usd:
        parts.append(f"${usd:,.2f}")
    if minutes:
        parts.append(f"{minutes:,.0f} min")
    return " / ".join(parts) or "-"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _title(message: str) -> str:
    """The first sentence (the alert title)."""
    for end in (". ", ".\n"):
        if end in message:
            return message.split(end, 1)[0] + "."
    return message


def findings_summary(report: dict, ranked: List[dict], sarif: Optional[str]) -> str:
    count = len(report.get("findings", []))
    files = report.get("files_checked", 0)
    lines = ["## wflint", ""]
    head = f"**{count} finding{'s' if count != 1 else ''}** in {files} workflow file{'s' if files != 1 else ''}"
    errors = report.get("errors") or []
    if errors:
        head += f"; {len(errors)} file{'s' if len(errors) != 1 else ''} could not be checked"
    lines.append(head + ".")
    if sarif:
        lines += ["", f"SARIF report: `{sarif}`."]
    if ranked:
        lines += ["", "Ranked by what fixing them saves a month:", "",
                  "| saves a month | rule | where | finding |", "|--:|---|---|---|"]
        for f in ranked[:TOP]:
            where = f"{f.get('path')}:{f.get('line')}"
            fix = " (fix: " + f["fix"]["safety"] + ")" if f.get("fix") else ""
            lines.append(f"| {_saves(f)} | `{f['slug']}` ({f['code']}){fix} | `{_cell(where)}` | {_cell(_title(f['message']))} |")
        if len(ranked) > TOP:
            lines += ["", f"... and {len(ranked) - TOP} more (see the annotations or the SARIF report)."]
    for error in errors:
        lines += ["", f"> error: {_cell(error)}"]
    return "\n".join(lines) + "\n"


def base_commit(event_name: str, event_path: str) -> Optional[str]:
    """The base commit of a pull request or merge-queue event, from the event payload."""
    if event_name not in PR_EVENTS and event_name != "merge_group" or not event_path:
        return None
    try:
        with open(event_path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError):
        return None
    if event_name == "merge_group":
        sha = (event.get("merge_group") or {}).get("base_sha")
    else:
        sha = ((event.get("pull_request") or {}).get("base") or {}).get("sha")
    return sha if isinstance(sha, str) and sha else None


def ensure_commit(workspace: str, sha: str) -> Optional[str]:
    """Fetch ``sha`` from origin when the checkout lacks it; None when present, else why not."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=workspace, capture_output=True, text=True, check=False)

    try:
        if git("cat-file", "-e", f"{sha}^{{commit}}").returncode == 0:
            return None
        fetched = git("fetch", "--no-tags", "--depth=1", "origin", sha)
    except OSError as exc:
        return f"cannot run git: {exc}"
    if fetched.returncode != 0:
        return f"`git fetch --depth=1 origin {sha}` failed: {fetched.stderr.strip().splitlines()[-1:] or fetched.returncode}"
    return None


def cost_delta(workspace: str, sha: str, history: str) -> Tuple[str, Optional[float]]:
    """The Markdown of ``cost --base SHA`` and the change in dollars a month."""
    problem = ensure_commit(workspace, sha)
    if problem:
        return f"### wflint: monthly cost of this change\n\nNot computed: {problem}\n", None
    extra = ["--history", history] if history else []
    with tempfile.TemporaryDirectory() as tmp:
        data_file = os.path.join(tmp, "delta.json")
        code, _, err = _wflint(["cost", "--base", sha, "--format", "json", "--output", data_file, *extra], workspace)
        if code != 0:
            return f"### wflint: monthly cost of this change\n\nNot computed: {_cell(err.strip())}\n", None
        with open(data_file, encoding="utf-8") as handle:
            change = json.load(handle)["difference"]["usd_per_month"]
    _, markdown, _ = _wflint(["cost", "--base", sha, "--format", "markdown", *extra], workspace)
    return markdown, change


def _append(path: str, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)


def _outputs(path: str, values: Dict[str, str]) -> None:
    _append(path, "".join(f"{k}={v}\n" for k, v in values.items()))


def _inputs() -> Tuple[List[str], bool, str, str]:
    try:
        args = shlex.split(_env("WFLINT_ARGS"))
    except ValueError as exc:
        raise InputError(f"input `args`: {exc}") from None
    config = _env("WFLINT_CONFIG")
    if config:
        args = ["--config", config, *args]
    fail = _env("WFLINT_FAIL_ON_FINDINGS", "true").lower()
    if fail not in TRUE + ("false", "0", "no", "off"):
        raise InputError(f"input `fail-on-findings`: expected true or false, got {fail!r}")
    return args, fail in TRUE, _env("WFLINT_SARIF"), _env("WFLINT_HISTORY")


def main() -> int:
    workspace = _env("GITHUB_WORKSPACE") or os.getcwd()
    summary_file, output_file = _env("GITHUB_STEP_SUMMARY"), _env("GITHUB_OUTPUT")
    try:
        args, fail_on_findings, sarif, history = _inputs()
    except InputError as exc:
        print(f"::error title=wflint action::{exc}")
        return 2
    # 1. Annotations (and the exit status wflint itself gives).
    code, out, err = _wflint(["check", "--format", "github", *args], workspace)
    sys.stdout.write(out)
    sys.stderr.write(err)
    # 2. SARIF for code scanning.
    written = ""
    if sarif:
        sarif_path = os.path.join(workspace, sarif)
        os.makedirs(os.path.dirname(sarif_path) or ".", exist_ok=True)
        _wflint(["check", "--format", "sarif", "--output", sarif_path, "--exit-zero", *args], workspace)
        written = sarif if os.path.isfile(sarif_path) else ""
    # 3. The job summary: findings by savings, then the cost of a pull request.
    ordered = sort_supported()
    with tempfile.TemporaryDirectory() as tmp:
        report_file = os.path.join(tmp, "report.json")
        sort = ["--sort", "savings"] if ordered else []
        _wflint(["check", "--format", "json", "--output", report_file, "--exit-zero", *sort, *args], workspace)
        try:
            with open(report_file, encoding="utf-8") as handle:
                report = json.load(handle)
        except (OSError, ValueError):
            report = {"findings": [], "files_checked": 0, "errors": [err.strip() or "wflint wrote no report"]}
    findings = report.get("findings", [])
    text = findings_summary(report, rank(findings, ordered), written)
    change: Optional[float] = None
    sha = base_commit(_env("GITHUB_EVENT_NAME"), _env("GITHUB_EVENT_PATH"))
    if sha:
        markdown, change = cost_delta(workspace, sha, history)
        text += "\n" + markdown
    _append(summary_file, text)
    # 4. Outputs.
    _outputs(output_file, {
        "findings": str(len(findings)),
        "errors": str(len(report.get("errors") or [])),
        "sarif": written,
        "monthly-cost-change": "" if change is None else f"{change:.2f}",
    })
    if code == 2:
        return 2
    if findings and fail_on_findings:
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
