import pytest

from helpers import fix, fix_bytes, lint, slugs

RULE = ["missing-timeout"]


def test_flags_job_without_timeout():
    [finding] = lint("on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: []\n", RULE)
    assert (finding.line, finding.col) == (3, 3)
    assert "360 minutes" in finding.message


@pytest.mark.parametrize(
    "jobs",
    [
        "  build:\n    runs-on: x\n    timeout-minutes: 10\n",
        "  build:\n    runs-on: x\n    timeout-minutes: ${{ inputs.t }}\n",
        "  call:\n    uses: org/repo/.github/workflows/r.yml@v1\n",
        "  nothing:\n    steps: []\n",
    ],
)
def test_does_not_flag(jobs):
    assert slugs(f"on: push\njobs:\n{jobs}", RULE) == []


def test_step_timeout_counts_only_on_every_step():
    text = "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: x\n        timeout-minutes: 5\n"
    assert slugs(text, RULE) == []
    assert slugs(text + "      - run: make\n", RULE) == ["missing-timeout"]


@pytest.mark.parametrize(
    "job",
    [
        "    runs-on: ubuntu-slim\n    steps:\n      - run: make\n",  # GitHub stops it at 15 minutes
        "    runs-on: [ubuntu-slim]\n    steps:\n      - run: make\n",
        "    runs-on: x\n    steps:\n      - uses: actions/deploy-pages@v4\n",
        "    runs-on: x\n    steps:\n      - run: curl -fsS --max-time 30 https://example.com/ping\n",
        "    runs-on: x\n    steps:\n      - run: |\n          # keep alive\n          echo ping\n"
        "          curl -m 10 \\\n            https://example.com\n",
        "    runs-on: x\n    steps:\n      - run: timeout 300 ./long-task.sh\n      - uses: actions/deploy-pages@v4\n",
        "    runs-on: x\n    steps:\n      - run: timeout -k 5 10m make test\n",
    ],
)
def test_bounded_jobs_are_not_flagged(job):
    assert slugs(f"on: push\njobs:\n  b:\n{job}", RULE) == []


@pytest.mark.parametrize(
    "job",
    [
        "    runs-on: ubuntu-latest\n    steps:\n      - run: curl https://example.com/ping\n",  # no time limit
        "    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/deploy-pages@v4\n",
        "    runs-on: x\n    steps:\n      - run: |\n          timeout 60 make\n          make test\n",
        "    runs-on: ubuntu-slim-arm\n    steps:\n      - run: make\n",
        "    runs-on: x\n    steps:\n      - run: echo start && make\n",
    ],
)
def test_unbounded_jobs_are_flagged(job):
    assert slugs(f"on: push\njobs:\n  b:\n{job}", RULE) == ["missing-timeout"]


def test_fix_inserts_after_runs_on():
    text = "on: push\njobs:\n  build:\n    name: Build  # the build\n    runs-on: ubuntu-latest  # hosted\n    steps:\n      - run: make\n"
    expected = "on: push\njobs:\n  build:\n    name: Build  # the build\n    runs-on: ubuntu-latest  # hosted\n    timeout-minutes: 30\n    steps:\n      - run: make\n"
    assert fix(text, RULE) == expected


def test_fix_after_multiline_runs_on():
    text = "on: push\njobs:\n  b:\n    runs-on:\n      - x64\n      - linux\n    steps: []\n"
    assert fix(text, RULE) == "on: push\njobs:\n  b:\n    runs-on:\n      - x64\n      - linux\n    timeout-minutes: 30\n    steps: []\n"


def test_fix_flow_style_job():
    text = "on: push\njobs:\n  b: {runs-on: x, steps: [{run: make}]}\n"
    assert fix(text, RULE) == "on: push\njobs:\n  b: {runs-on: x, timeout-minutes: 30, steps: [{run: make}]}\n"


def test_fix_runs_on_last_key_without_final_newline():
    assert fix("on: push\njobs:\n  b:\n    steps: []\n    runs-on: x", RULE) == "on: push\njobs:\n  b:\n    steps: []\n    runs-on: x\n    timeout-minutes: 30"


def test_fix_four_space_indent_and_crlf():
    data = b"on: push\r\njobs:\r\n    b:\r\n        runs-on: x\r\n        steps: []\r\n"
    assert fix_bytes(data, RULE) == b"on: push\r\njobs:\r\n    b:\r\n        runs-on: x\r\n        timeout-minutes: 30\r\n        steps: []\r\n"


def test_fix_uses_option():
    out = fix("on: push\njobs:\n  b:\n    runs-on: x\n", RULE, options={"missing-timeout": {"default": 45}})
    assert out.endswith("    timeout-minutes: 45\n")


def test_fix_is_unsafe():
    text = "on: push\njobs:\n  b:\n    runs-on: x\n"
    assert fix(text, RULE, unsafe=False) == text


def test_several_jobs_fixed_in_one_pass():
    text = "on: push\njobs:\n  a:\n    runs-on: x\n  b:\n    runs-on: y\n"
    assert fix(text, RULE) == "on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 30\n  b:\n    runs-on: y\n    timeout-minutes: 30\n"


def test_job_from_anchor_is_flagged_but_fix_lands_in_anchor_only_once():
    text = "on: push\njobs:\n  a: &j\n    runs-on: x\n  b: *j\n"
    out = fix(text, RULE)
    assert out == "on: push\njobs:\n  a: &j\n    runs-on: x\n    timeout-minutes: 30\n  b: *j\n"
    assert slugs(out, RULE) == []


# -- seed-22 patterns --------------------------------------------------------------------------

def _job(body, head="on: push\n"):
    return head + "jobs:\n  b:\n" + body


def test_fix_never_below_a_step_timeout():
    text = _job("    runs-on: ubuntu-latest\n    steps:\n      - run: make\n      - run: ./long\n"
                "        timeout-minutes: ${{ github.event_name == 'pull_request' && 30 || 210 }}\n")
    assert "    timeout-minutes: 220\n" in fix(text, RULE)
    text = _job("    runs-on: ubuntu-latest\n    steps:\n      - run: make\n        timeout-minutes: 20\n"
                "      - run: make test\n        timeout-minutes: 25\n      - run: ./x\n")
    assert "    timeout-minutes: 45\n" in fix(text, RULE)  # their sum


def test_unreadable_step_timeout_gets_no_fix():
    text = _job("    runs-on: ubuntu-latest\n    steps:\n      - run: make\n      - name: t\n"
                "        run: ./t\n        timeout-minutes: ${{ inputs.limit }}\n")
    assert fix(text, RULE) == text
    assert slugs(text, RULE) == ["missing-timeout"]


def test_retry_action_with_time_limit_is_bounded():
    step = "      - uses: nick-fields/retry@v3\n        with:\n          max_attempts: 3\n          {}\n          command: make\n"
    assert slugs(_job("    runs-on: ubuntu-latest\n    steps:\n" + step.format("timeout_minutes: 10")), RULE) == []
    assert slugs(_job("    runs-on: ubuntu-latest\n    steps:\n" + step.format("timeout_seconds: 60")), RULE) == []
    assert slugs(_job("    runs-on: ubuntu-latest\n    steps:\n" + step.format("retry_on: error")), RULE) == ["missing-timeout"]
    # with a bare step too: the fix stays above the retries (3 x 30 minutes)
    text = _job("    runs-on: ubuntu-latest\n    steps:\n      - run: make\n" + step.format("timeout_minutes: 30"))
    assert "    timeout-minutes: 100\n" in fix(text, RULE)


def test_self_hosted_and_retired_runners_not_reported():
    for runs_on in ("[self-hosted, linux]", "ubuntu-20.04", "[macos-12]", "windows-2019", "ubuntu-18.04"):
        assert slugs(_job(f"    runs-on: {runs_on}\n    steps:\n      - run: make\n"), RULE) == [], runs_on
    for runs_on in ("ubuntu-22.04", "${{ matrix.os }}", "big-linux-runner"):
        assert slugs(_job(f"    runs-on: {runs_on}\n    steps:\n      - run: make\n"), RULE) == ["missing-timeout"], runs_on


def test_setup_steps_before_limited_work_are_bounded():
    setup = "      - uses: actions/checkout@v4\n      - uses: actions/setup-go@v5\n      - uses: actions/cache@v4\n"
    retry = "      - uses: nick-invision/retry@v3\n        with:\n          timeout_minutes: 30\n          max_attempts: 3\n          command: make docs\n"
    assert slugs(_job("    runs-on: ubuntu-latest\n    steps:\n" + setup + retry), RULE) == []
    assert slugs(_job("    runs-on: ubuntu-latest\n    steps:\n" + setup + "      - run: make\n        timeout-minutes: 20\n"), RULE) == []
    # setup alone, or a work step without its own limit: still reported
    assert slugs(_job("    runs-on: ubuntu-latest\n    steps:\n" + setup), RULE) == ["missing-timeout"]
    assert slugs(_job("    runs-on: ubuntu-latest\n    steps:\n" + setup + retry + "      - run: make\n"), RULE) == ["missing-timeout"]
