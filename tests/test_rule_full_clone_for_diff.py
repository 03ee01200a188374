"""full-clone-for-diff (WFL023)."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint

SLUG = "full-clone-for-diff"


def wf(script: str, extra_steps: str = "") -> str:
    body = "".join(f"          {line}\n" for line in script.splitlines())
    return f"on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n{body}{extra_steps}"


@pytest.mark.parametrize(
    "script, safe",
    [
        ("git clone https://github.com/o/site.git site\ngit -C site add -A\ngit -C site commit -m x\ngit -C site push", True),
        ("git clone https://github.com/o/r.git\ncd r && git checkout -b update && git push origin update", True),
        ("git clone https://github.com/o/r.git\ncd r\ntag=$(git describe --tags --abbrev=0)\ngit checkout \"$tag\"", False),
        ("git clone https://github.com/o/r.git\ngit -C r log -1", False),
        ("git clone https://github.com/o/r.git\ngit -C r checkout v1.2.3", False),
        ("retry -- git clone \\\n  https://github.com/o/r.git", True),
    ],
)
def test_positive(script, safe):
    (finding,) = lint(SLUG, wf(script))
    assert ("--depth 1`: no other" in finding.message) == safe
    assert ("--filter=blob:none" in finding.message) == (not safe)
    assert finding.properties["stake"] == {"measure": "share", "jobs": ["j"], "events": [], "minutes_per_run": 0.3}


@pytest.mark.parametrize(
    "script",
    [
        "git clone --depth 1 https://github.com/o/r.git",
        "git clone --depth=1 --branch v1 https://github.com/o/r.git",
        "git clone --filter=blob:none https://github.com/o/r.git",
        "git clone --mirror https://github.com/o/r.git",
        "git clone --bare https://github.com/o/r.git",
        "# Don't do shallow clone: it is unshallowed later\ngit clone https://github.com/o/r.git",
        "# git clone https://github.com/o/r.git\nmake",
        "echo no clone here",
    ],
)
def test_negative(script):
    assert lint(SLUG, wf(script)) == []


def test_a_later_step_reading_history_makes_it_unsafe():
    (finding,) = lint(SLUG, wf("git clone https://github.com/o/r.git", "      - run: git -C r rev-list --count HEAD\n"))
    assert finding.fix is None


def test_fix_inserts_depth_and_nothing_else():
    before = wf("git clone https://github.com/o/site.git site  # the site\ngit -C site push").replace("\n", "\r\n")
    assert fix(SLUG, before) == before.replace("git clone https", "git clone --depth 1 https")


def test_fix_in_a_plain_scalar():
    text = "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: git clone https://github.com/o/r.git\n"
    assert fix(SLUG, text) == text.replace("git clone", "git clone --depth 1")


@pytest.mark.parametrize(
    "run",
    [
        "\"git clone https://github.com/o/r.git\"",  # quoted: no fix
        "|\n          git clone https://github.com/o/a.git\n          git clone https://github.com/o/b.git",  # two clones
    ],
)
def test_no_fix(run):
    text = f"on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: {run}\n"
    (finding,) = lint(SLUG, text)
    assert finding.fix is None


def test_anchored_step_gets_no_fix():
    text = (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [&c {run: 'git clone https://github.com/o/r.git'}]\n"
        "  b:\n    runs-on: ubuntu-latest\n    steps: [*c]\n"
    )
    findings = lint(SLUG, text)
    assert len(findings) == 2 and all(f.fix is None for f in findings)


def test_fix_matches_its_declared_intent():
    import importlib.util
    import os
    import sys

    from wflint.source import Source

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = importlib.util.spec_from_file_location("wflint_semantic_check", os.path.join(root, "scripts", "semantic_check.py"))
    sc = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = sc
    spec.loader.exec_module(sc)
    text = wf("git clone https://github.com/o/site.git site\ngit -C site push")
    outcome = sc.check_text(Source(path="ci.yml", text=text), sc.all_fixes_settings())
    assert (outcome.kind, outcome.problems) == ("", [])
    assert outcome.fixes[SLUG] == 1
