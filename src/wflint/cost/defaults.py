"""The static estimate's defaults, in one place: minutes per job class, runs a month per
trigger, and the share of minutes each kind of waste takes when no history says better.

Every figure here is an *estimate* and is reported with ``basis: "estimate"``; a saved
history (``wflint usage --save``) replaces them for the workflows it covers, and
``[tool.wflint.cost]`` overrides them (``minutes.<class>``, ``runs.<event>``).  README.md
("How findings are priced") explains where each figure comes from.
"""

from __future__ import annotations

from typing import Dict

# Billed minutes of one run of one job, by job class (see jobclass.py).
MINUTES: Dict[str, float] = {
    "bot": 1,  # API calls, labellers, stale, comments: GitHub bills the whole first minute
    "lint": 3,  # linters and formatters
    "build": 10,  # builds and test suites
    "release": 15,  # packaging, publishing, container images
    "heavy": 30,  # GPU, emulators, cross-architecture (QEMU) builds
}

# Runs a month per trigger when no history says how active the repository is.
RUNS: Dict[str, float] = {
    "push": 60,  # about 3 pushes a working day, all branches
    "pull_request": 80,  # pushes to pull requests (opened + synchronize)
    "pull_request_target": 80,
    "merge_group": 30,
    "workflow_dispatch": 2,
    "release": 2,
    "tag": 2,  # tag pushes (runs of a push workflow that tags also start)
    "workflow_run": 60,
    "workflow_call": 60,  # a reusable workflow: about as often as the pushes of its callers  # follows another workflow, about as often as pushes
    "issues": 20,
    "issue_comment": 40,
    "pull_request_review": 20,
    "pull_request_review_comment": 20,
    "discussion": 5,
    "discussion_comment": 10,
    "*": 5,  # any other event
}

# Share of an event's runs that still start when the trigger filters changed files (no history):
# `paths:` lists what the workflow is about, so most changes skip it; `paths-ignore:` skips docs.
PATH_FILTERED: Dict[str, float] = {"paths": 0.3, "paths-ignore": 0.85}
# A `paths` list that names a narrow part of the tree — only named files (`scripts/release.py`,
# `Cargo.lock`), folders two levels deep (`src/openssl/**`, `ports/alif/**`) or top-level
# folders other than the usual source folders (`install/**`, `docs/**`) — starts a run for far
# fewer changes than one naming the sources a workflow builds: 10% of its event's runs.
PATH_FILTERED_NARROW = 0.1
# Top-level folders that hold a project's code: a `paths` entry under one of them is not narrow.
SOURCE_FOLDERS = frozenset((
    "src", "source", "sources", "lib", "libs", "app", "apps", "packages", "pkg", "cmd", "internal", "crates",
    "include", "core", "test", "tests", "spec", "python", "py", "js", "go", "java", "server", "client", "web",
    "frontend", "backend", "modules", "components", "services", "api",
))
# Pushes a month to a push trigger whose `branches` are all release or maintenance branches
# (`release/*`, `release-*`, `stable`): backports and release preparation, a handful a month.
RELEASE_BRANCH_PUSHES = 5.0

# Share of runs in which a job whose `if:` asks for one actor (dependabot, renovate, a bot) or
# one label runs at all: those jobs are skipped on almost every run.
NARROW_JOB = 0.1

# Share of the minutes at stake that each kind of waste takes, without history.
SHARES: Dict[str, float] = {
    "superseded": 0.2,  # of push and pull-request minutes: runs a newer push made pointless
    "duplicate": 0.5,  # of push minutes: pushes to branches that also have a pull request
    "docs-only": 0.15,  # of push and pull-request minutes: changes that touch no code
    "tag": 1.0,  # of tag-push minutes: the whole run is the waste
    "share": 1.0,
    "hang": 1.0,
}

# Superseded runs and run length.  A newer push makes a run pointless only while that run is
# still going: the chance that the next push to the branch or pull request lands within a run of
# T minutes grows with T (pushes to a pull request come in bursts minutes apart: a fix-up, a
# review round), and what a cancel saves is the rest of the run.  So the superseded share grows
# linearly with the run's length up to SHARES["superseded"] (0.2) for runs of
# SUPERSEDED_FULL_MINUTES (10) minutes or more: a 1-minute run 0.02, a 3-minute run 0.06.  The
# run's length is its critical path through `needs` (model.WorkflowCost.run_minutes).
SUPERSEDED_FULL_MINUTES = 10.0


def superseded_share(run_minutes: float) -> float:
    """The share of push and pull-request minutes superseded runs take, for runs this long."""
    return SHARES["superseded"] * max(0.0, min(1.0, run_minutes / SUPERSEDED_FULL_MINUTES))


# timeout-minutes that missing-timeout writes for a job without history, by class.  Release,
# heavy jobs and macOS/Windows builds get none: their durations vary too much to guess.
TIMEOUTS: Dict[str, int] = {"bot": 10, "lint": 15, "build": 30}
HEAVY_OS = ("macos", "windows")

# Chance that one run of a job hangs (or overruns until a timeout would stop it), by class:
# what missing-timeout is priced on, as job runs a month x this x the minutes a timeout saves per
# hang (360 less the timeout it writes, else less the job's own minutes).  API-only bot jobs
# finish in seconds or fail (0); a linter or quick scan reads the checkout and stops (1 in 500);
# builds and test suites deadlock, wait on a network or a prompt, or stall on a download (1 in
# 100); releases push and upload over the network (1 in 50); emulators, QEMU and GPU jobs hang
# most (1 in 33).  No public figure measures this: these are orders of magnitude, chosen so that
# a timeout is worth its line where hangs add up.  A build job that pushes and pull requests
# start (140 runs a month, 330 minutes saved per hang) is priced at ~460 min/month, a daily build
# at ~100, a release-only or weekly job at under 30 and a lint job on every push and pull request
# at ~100: the last three fall below the 150 min/month threshold.
HANG_PROBABILITY: Dict[str, float] = {"bot": 0.0, "lint": 0.002, "build": 0.01, "release": 0.02, "heavy": 0.03,
                                      "reusable": 0.01}
# A job with service containers (`services:` — a database, a server the tests call) waits on
# them: twice its class's chance of hanging.
SERVICES_HANG_FACTOR = 2.0

HANG_MINUTES = 360  # GitHub's default timeout and the hosted-runner limit
SLIM_LIMIT = 15  # ubuntu-slim jobs are stopped after 15 minutes
# Measures whose estimate depends most on what the workflow file cannot show get a higher bar
# (min-savings-estimate x this factor).  Superseded runs need a second push to land while a run
# is still going: how busy the repository's pull requests are, which a static estimate cannot
# see; the seed-23 strict review found a third of the superseded findings between 1,000 and 2,000
# min/mo cheap in fact (quiet repositories, pull requests from forks pushed once), and the seed-24
# one still a quarter of those between 2,000 and 5,000; above 5,000 (big matrices on every pull
# request) one in thirteen.
ESTIMATE_BAR_FACTOR: Dict[str, float] = {"superseded": 5.0}
MIN_SAVINGS_ESTIMATE = 1000  # minutes a month (about $6): the bar for a finding priced by the static estimate alone (below)
MIN_SAVINGS = 150  # minutes a month (about $0.90 at the Linux 2-core list price); findings that save less are hidden (README: "The savings threshold")

# Why estimates need a higher bar: without run history, the estimate cannot see how busy a
# repository is (forks or in-repository branches, pushes a month) or how long its jobs take, and
# is off by a factor of three or more either way.  The seed-22 strict review (README: "Precision
# under strict review") found most estimate-priced findings between 150 and 1,000 min/mo cheap in
# fact (quiet repositories, one-minute jobs), and those above it mostly real.  A history file
# replaces the estimate with real runs and durations, and then the 150-minute bar applies.

# GitHub-hosted images GitHub has retired: a job that asks for one is never started, so it costs
# no minutes (ubuntu-20.04 ended 2025-04-15; the others before it).
RETIRED_RUNNERS = ("ubuntu-18.04", "ubuntu-20.04", "macos-10.15", "macos-11", "macos-12", "windows-2016",
                   "windows-2019")
