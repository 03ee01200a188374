"""Prove that fixes change exactly what they say, over a folder of real workflows.

For every file, fixes are applied pass by pass (all rules, unsafe fixes too) the
way ``fixer.fix_source`` does, and each pass is checked:

* semantics: the plain data of the fixed text (``yamlnode.to_data``) equals the
  plain data of the text before, with exactly the change each applied fix
  intends (``INTENTS`` below, one entry per rule with a fix) and nothing else;
* bytes: every line the pass's edits do not touch is still there, byte for byte
  and in order; inserted text uses the file's own line ending;
* the result loads.

Then the final text must equal ``fix_source``'s, and fixing it again must change
nothing (idempotence).  Usage::

    python scripts/semantic_check.py ../shared/corpus/workflows
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

if __name__ == "__main__":  # run from a checkout: use its sources
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

from wflint import cron
from wflint import yamlnode as yn
from wflint.engine import Settings, lint_source
from wflint.finding import Finding
from wflint.fixer import MAX_PASSES, apply_edits, choose, fix_source, fixable
from wflint.rules import all_rules
from wflint.source import DecodeError, Source
from wflint.workflow import Workflow


class Mismatch(Exception):
    """A fix changed something it does not intend."""


# -- what each fix intends, as a change of the plain data ------------------------------


def _concurrency(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    from wflint.rules.missing_concurrency import DEFAULT_GROUP, EVENT_GROUP, GROUPABLE

    group = options["group"]
    if group == DEFAULT_GROUP and any(name not in GROUPABLE for name in wf.triggers):
        group = EVENT_GROUP  # other events: each of their runs in a group of its own
    data["concurrency"] = {"group": _plain(group), "cancel-in-progress": _plain(options["cancel-in-progress"])}


def _timeout(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    job = next(j for j in wf.jobs if j.key.start_mark.index == finding.span.start)
    # the value the rule chose for the job (history, or its class), which the finding records
    data["jobs"][job.id]["timeout-minutes"] = _plain(finding.properties.get("timeout_minutes", options["default"]))


def _cron(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    index = next(i for i, s in enumerate(wf.schedules) if s.node.start_mark.index == finding.span.start)
    schedule = wf.schedules[index]
    new = fixed["on"]["schedule"][index]["cron"]
    old_fields, new_fields = schedule.cron.split(), str(new).split()
    if new == schedule.cron or old_fields[2:] != new_fields[2:] or len(old_fields) != len(new_fields):
        raise Mismatch(f"cron `{schedule.cron}` became `{new}`: only minute and hour may change")
    gap = cron.min_interval(new, schedule.timezone)
    if gap is not None and gap < options["min-interval"]:
        raise Mismatch(f"cron `{new}` still fires every {gap} minutes")
    data["on"]["schedule"][index]["cron"] = new


def _event_config(data, wf: Workflow, finding: Finding) -> dict:
    """The mapping of the event whose key the finding points at; `on:` in scalar or list form
    becomes the mapping form (the other events with no value)."""
    event = next(t.name for t in wf.triggers.values() if t.key.start_mark.index == finding.span.start)
    on = data["on"]
    if isinstance(on, str):
        on = data["on"] = {on: None}
    elif isinstance(on, list):
        on = data["on"] = {name: None for name in on}
    if not isinstance(on[event], dict):
        on[event] = {}
    return on[event]


def _path_filters(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    _event_config(data, wf, finding)["paths-ignore"] = [_plain(p) for p in options["paths-ignore"]]


def _push_branches(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    from wflint.rules.duplicate_triggers import EVERY_BRANCH, push_branches

    branches = fixed["on"]["push"].get("branches")
    if not (isinstance(branches, list) and branches and all(branches)) or set(branches) & EVERY_BRANCH:
        raise Mismatch(f"push branches became {branches!r}: named branches expected")
    # the branches the push named besides `**` and the pull requests' targets (or one default branch)
    if not any(push_branches(wf, candidate) == branches for candidate in branches):
        raise Mismatch(f"push branches became {branches!r}: the written branches and the pull requests' targets expected")
    config = _event_config(data, wf, finding)
    from wflint.rules.tag_push_ignores_paths import tests_for_tags

    if "branches" not in config and tests_for_tags(wf):
        config["tags"] = ["**"]  # the push covered every tag and a job acts on tags: it still does
    config["branches"] = branches


def _schedule_minute(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    index = next(i for i, s in enumerate(wf.schedules) if s.node.start_mark.index == finding.span.start)
    old, new = wf.schedules[index].cron.split(), str(fixed["on"]["schedule"][index]["cron"]).split()
    if len(old) != len(new) or old[1:] != new[1:] or old[0] == new[0] or not new[0].isdigit():
        raise Mismatch(f"cron `{' '.join(old)}` became `{' '.join(new)}`: only the minute may change")
    data["on"]["schedule"][index]["cron"] = fixed["on"]["schedule"][index]["cron"]


def _step_with(data, wf: Workflow, finding: Finding, fixed):
    """The ``with`` mappings (expected, fixed) of the step whose ``uses`` the finding points at."""
    for job in wf.jobs:
        for step in job.steps:
            uses = step.get("uses")
            if uses is not None and uses.start_mark.index == finding.span.start:
                expected = data["jobs"][job.id]["steps"][step.index]
                if not isinstance(expected.get("with"), dict):
                    expected["with"] = {}
                return expected["with"], fixed["jobs"][job.id]["steps"][step.index]["with"]
    raise Mismatch("no step at the finding")


def _retention(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    _step_with(data, wf, finding, fixed)[0]["retention-days"] = _plain(options["days"])


def _cache_input(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    expected, after = _step_with(data, wf, finding, fixed)
    added = [key for key in after if key not in expected]
    if len(added) != 1 or not after[added[0]]:
        raise Mismatch(f"the step's `with` gained {added}: one cache input expected")
    expected[added[0]] = after[added[0]]


def _cancel_in_progress(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    owners = [((), wf.root)] + [(("jobs", job.id), job.node) for job in wf.jobs]
    for path, owner in owners:
        value = yn.get_value(yn.get_value(owner, "concurrency"), "cancel-in-progress")
        if value is not None and value.start_mark.index == finding.span.start:
            before, after = data, fixed
            for key in (*path, "concurrency"):
                before, after = before[key], after[key]
            new = after["cancel-in-progress"]
            if new not in ("false", _plain(options["expression"])):
                raise Mismatch(f"cancel-in-progress became {new!r}")
            before["cancel-in-progress"] = new
            return
    raise Mismatch("no cancel-in-progress at the finding")


def _linux_only_steps(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """os-independent-work-on-expensive-runner: each OS-independent step of the job gains
    ``if: runner.os == 'Linux'`` and nothing else changes."""
    from wflint.rules.os_independent_work_on_expensive_runner import LINUX_IF, steps

    for job in wf.jobs:
        found = steps(job)
        if found and found[0][0].node.start_mark.index == finding.span.start:
            for step, _ in found:
                data["jobs"][job.id]["steps"][step.index]["if"] = LINUX_IF
            return
    raise Mismatch("no OS-independent step at the finding")
def _docker_cache(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """docker-build-without-cache: the step's `with` gains exactly the gha cache-from/cache-to pair."""
    from wflint.rules.docker_build_without_cache import CACHE_FROM, CACHE_TO

    expected, after = _step_with(data, wf, finding, fixed)
    added = {key: after[key] for key in after if key not in expected}
    if added != {"cache-from": CACHE_FROM, "cache-to": CACHE_TO}:
        raise Mismatch(f"the step's `with` gained {added}: cache-from/cache-to of type gha expected")
    expected.update(added)


def _slim_runner(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """bot-job-on-full-runner: the job's runs-on becomes ubuntu-slim, nothing else."""
    job = next(j for j in wf.jobs if j.get("runs-on") is not None and j.get("runs-on").start_mark.index == finding.span.start)
    if fixed["jobs"][job.id]["runs-on"] != "ubuntu-slim":
        raise Mismatch(f"runs-on became {fixed['jobs'][job.id]['runs-on']!r}")
    data["jobs"][job.id]["runs-on"] = "ubuntu-slim"


def _clone_depth(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """full-clone-for-diff: the step's script gains ` --depth 1` after its one `git clone`."""
    for job in wf.jobs:
        for step in job.steps:
            run = step.get("run")
            if run is not None and run.start_mark.index == finding.span.start:
                before = data["jobs"][job.id]["steps"][step.index]
                after = fixed["jobs"][job.id]["steps"][step.index]["run"]
                expected = re.sub(r"\bgit(\s+)clone\b", lambda m: f"git{m.group(1)}clone --depth 1", before["run"], count=1)
                if after != expected:
                    raise Mismatch(f"the script became {after!r}")
                before["run"] = after
                return
    raise Mismatch("no run step at the finding")


def _group_context(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """concurrency-group-never-matches: only mistyped `github.*` properties in the group change."""
    from wflint.rules.concurrency_group_never_matches import MEANT

    owners = [((), wf.root)] + [(("jobs", job.id), job.node) for job in wf.jobs]
    for path, owner in owners:
        node = yn.get_value(owner, "concurrency")
        group = yn.get_value(node, "group") if yn.is_map(node) else node
        if group is not None and group.start_mark.index == finding.span.start:
            before, after = data, fixed
            for key in path:
                before, after = before[key], after[key]
            old = before["concurrency"]["group"] if isinstance(before["concurrency"], dict) else before["concurrency"]
            new = after["concurrency"]["group"] if isinstance(after["concurrency"], dict) else after["concurrency"]
            expected = old
            for wrong, right in MEANT.items():
                expected = re.sub(r"(?<![\w.])" + re.escape(wrong), right, expected)
            if new != expected:
                raise Mismatch(f"concurrency group became {new!r}, expected {expected!r}")
            if isinstance(before["concurrency"], dict):
                before["concurrency"]["group"] = new
            else:
                before["concurrency"] = new
            return
    raise Mismatch("no concurrency group at the finding")


Intent = Callable[..., None]
INTENTS: Dict[str, Intent] = {
    "missing-concurrency": _concurrency,
    "missing-timeout": _timeout,
    "cron-too-frequent": _cron,
    "missing-path-filters": _path_filters,
    # rules added later: each rule with a fix needs its intent here
    "duplicate-triggers": _push_branches,
    "schedule-top-of-hour": _schedule_minute,
    "artifact-retention": _retention,
    "missing-dependency-cache": _cache_input,
    "cancel-in-progress-on-release": _cancel_in_progress,
    "os-independent-work-on-expensive-runner": _linux_only_steps,
    "concurrency-group-never-matches": _group_context,
    "docker-build-without-cache": _docker_cache,
    "bot-job-on-full-runner": _slim_runner,
    "full-clone-for-diff": _clone_depth,
}


def _plain(value):
    """A Python option value as ``to_data`` reads it back from YAML."""
    if value is True or value is False:
        return str(value).lower()
    return value if isinstance(value, str) else str(value)


# -- bytes outside the edits ------------------------------------------------------------


def _touched_lines(source: Source, edits) -> set:
    """0-based lines an edit changes (a whole-line insertion at a line start changes none)."""
    starts = set(source.line_starts)
    touched = set()
    for edit in edits:
        first = source.linecol(edit.start)[0] - 1
        if edit.start == edit.end and edit.start in starts and edit.content.endswith("\n"):
            continue
        last = source.linecol(max(edit.start, edit.end - 1))[0] - 1 if edit.end > edit.start else first
        touched.update(range(first, last + 1))
    return touched


def check_bytes(before: Source, after_text: str, edits) -> Optional[str]:
    """None if every line no edit touches is in the new text, unchanged, where the edits put it.

    Lines are compared as text: the whole file is written back with one codec and
    the original byte-order mark, so equal text lines are equal bytes.
    """
    after = Source(path=before.path, text=after_text, bom=before.bom, encoding=before.encoding)
    if not after.encode().startswith(before.bom):
        return "the byte-order mark was lost"
    newline = before.newline
    shifts = sorted((e.end, len(e.content.replace("\n", newline)) - (e.end - e.start)) for e in edits)
    touched = _touched_lines(before, edits)
    starts = before.line_starts + [len(before.text)]
    for number, (start, end) in enumerate(zip(starts, starts[1:])):
        if number in touched or end == start:
            continue
        at = start + sum(delta for edge, delta in shifts if edge <= start)
        if after_text[at : at + end - start] != before.text[start:end]:
            return f"line {number + 1} changed but no edit touches it: {before.text[start:end]!r}"
    for edit in edits:
        content = edit.content.replace("\n", newline)
        if newline == "\r\n" and re.search(r"(?<!\r)\n|\r(?!\n)", content):
            return "inserted text mixes line endings"
    return None


# -- one file ---------------------------------------------------------------------------


@dataclass
class Outcome:
    fixes: Counter = field(default_factory=Counter)  # by slug
    changed: bool = False
    problems: List[str] = field(default_factory=list)
    kind: str = ""  # "", "semantic", "bytes", "idempotence", "crash", "unreadable", "unloadable", "mismatch"


def check_text(source: Source, settings: Settings) -> Outcome:
    out = Outcome()
    options = {r.slug: r.options_with(settings.options.get(r.slug)) for r in settings.rules}
    current = source
    result = first = lint_source(current, settings)
    if result.load_error:
        out.kind = "unloadable"
        return out
    if not fixable(result):
        out.kind = "not-fixed"  # duplicate keys (GitHub rejects the file) or odd line breaks
        out.changed = fix_source(source, settings, unsafe=True, first=result).changed
        if out.changed:
            out.kind, out.problems = "mismatch", ["fix_source changed a file it must leave alone"]
        return out
    newline = source.newline
    for _ in range(MAX_PASSES):
        edits, fixed = choose(result.findings, unsafe=True)
        if not edits:
            break
        text = apply_edits(current.text, edits, newline)
        candidate = Source(path=source.path, text=text, bom=source.bom, encoding=source.encoding)
        new_result = lint_source(candidate, settings)
        if new_result.load_error:
            out.kind, out.problems = "unloadable-fix", [new_result.findings[0].message]
            return out
        problem = check_bytes(current, text, [e for e in edits])
        if problem:
            out.kind, out.problems = "bytes", [problem]
            return out
        before, after = yn.to_data(result.workflow.root), yn.to_data(new_result.workflow.root)
        expected = copy.deepcopy(before)
        try:
            for finding in fixed:
                intent = INTENTS.get(finding.slug)
                if intent is None:
                    raise Mismatch(f"no intent declared for the fix of {finding.slug}")
                intent(expected, result.workflow, finding, options[finding.slug], after)
        except Mismatch as exc:
            out.kind, out.problems = "semantic", [str(exc)]
            return out
        if expected != after:
            out.kind, out.problems = "semantic", [_describe(expected, after)]
            return out
        out.fixes.update(f.slug for f in fixed)
        current, result = candidate, new_result
    out.changed = current.text != source.text
    final = fix_source(source, settings, unsafe=True, first=first)
    if final.text != current.text:
        out.kind, out.problems = "mismatch", ["fix_source gave another result than the passes checked here"]
        return out
    again = fix_source(current, settings, unsafe=True, first=result)  # result: the lint of `current`
    if again.changed:
        out.kind, out.problems = "idempotence", [f"a second run fixes {sorted({f.slug for f in again.fixed})}"]
    return out


def _describe(expected, actual, path="") -> str:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if expected.get(key, "<missing>") != actual.get(key, "<missing>"):
                return _describe(expected.get(key, "<missing>"), actual.get(key, "<missing>"), f"{path}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (a, b) in enumerate(zip(expected, actual)):
            if a != b:
                return _describe(a, b, f"{path}[{i}]")
    return f"at {path or '<root>'}: expected {expected!r}, got {actual!r}"


def check_file(path: str, settings: Settings) -> Outcome:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        source = Source.from_bytes(path, data)
    except DecodeError:
        return Outcome(kind="unreadable")
    try:
        return check_text(source, settings)
    except Exception:  # a crash is a finding of this check, not the end of it
        return Outcome(kind="crash", problems=[traceback.format_exc()])


def all_fixes_settings() -> Settings:
    return Settings(rules=[r for r in all_rules() if not r.system])


def workflow_files(folder: str) -> List[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(files) if n.endswith((".yml", ".yaml")))
    return found


def run(folder: str) -> Dict[str, object]:
    settings = all_fixes_settings()
    counts: Counter = Counter()
    fixes: Counter = Counter()
    failures: List[str] = []
    started = time.perf_counter()
    for path in workflow_files(folder):
        outcome = check_file(path, settings)
        counts["files"] += 1
        counts["files_changed"] += outcome.changed
        counts[outcome.kind or "ok"] += 1
        fixes.update(outcome.fixes)
        if outcome.problems:
            failures.append(f"{path}: {outcome.kind}: {outcome.problems[0]}")
    return {"counts": counts, "fixes": fixes, "failures": failures, "seconds": time.perf_counter() - started}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    args = parser.parse_args(argv)
    summary = run(args.folder)
    counts, fixes = summary["counts"], summary["fixes"]
    print(f"files: {counts['files']:,} (loaded {counts['files'] - counts['unreadable'] - counts['unloadable']:,}, changed {counts['files_changed']:,})")
    print(f"not fixed on purpose: {counts['not-fixed']} (duplicate keys, which GitHub rejects, or NEL/U+2028/U+2029 characters)")
    print(f"fixes applied: {sum(fixes.values()):,} " + ", ".join(f"{k} {v:,}" for k, v in sorted(fixes.items())))
    for kind in ("semantic", "bytes", "idempotence", "crash", "mismatch", "unloadable-fix"):
        print(f"{kind}: {counts[kind]}")
    print(f"time: {summary['seconds']:.1f} s")
    for failure in summary["failures"]:
        print(failure)
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
