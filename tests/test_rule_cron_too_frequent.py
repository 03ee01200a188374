import pytest

from helpers import fix, lint, slugs
from wflint import cron, stagger
from wflint.stagger import stable_minute

RULE = ["cron-too-frequent"]


def wf(cron, extra=""):
    return f"on:\n  schedule:\n    - cron: {cron}\n{extra}jobs:\n  a:\n    runs-on: x\n"


@pytest.mark.parametrize(
    "cron, interval, runs",
    [
        ("'*/5 * * * *'", "every 5 minutes", "8,640"),
        ("'0,5,10 * * * *'", "every 5 minutes", "2,160"),
        ("'*/10 9-17 * * 1-5'", "every 10 minutes", None),
        ("'* * * * *'", "every minute", "8,640"),
        ('"*/14 * * * *"', "every 14 minutes (4 minutes apart at the shortest)", "3,600"),
        ("'*/8 * * * *'", "every 8 minutes (4 minutes apart at the shortest)", "5,760"),
        ("'*/7 * * * *'", "every 7 minutes (4 minutes apart at the shortest)", "6,480"),
        ("'0,10 3 * * *'", "as little as 10 minutes apart", "60"),
    ],
)
def test_flags_frequent_crons(cron, interval, runs):
    [finding] = lint(wf(cron), RULE)
    assert interval in finding.message
    if runs:
        assert f"{runs} runs a month" in finding.message
    assert finding.line == 3 and finding.col == 13


@pytest.mark.parametrize("cron", ["'0 */2 * * *'", "'*/15 * * * *'", "'0 0 * * *'", "'30 4 * * 1'"])
def test_accepts_infrequent_crons(cron):
    assert slugs(wf(cron), RULE) == []


def test_threshold_option():
    assert slugs(wf("'*/30 * * * *'"), RULE, options={"cron-too-frequent": {"min-interval": 60}}) == ["cron-too-frequent"]
    assert slugs(wf("'*/30 * * * *'"), RULE) == []


def test_every_minute_mentions_github_floor():
    [finding] = lint(wf("'* * * * *'"), RULE)
    assert "at most every 5 minutes" in finding.message


def test_timezone_is_honoured():
    text = wf("'5,50 1,3 * * *'", "") .replace("      \n", "")
    assert slugs(text, RULE, options={"cron-too-frequent": {"min-interval": 30}}) == []
    tz = "on:\n  schedule:\n    - cron: '5,50 1,3 * * *'\n      timezone: Europe/Berlin\njobs: {}\n"
    assert slugs(tz, RULE, options={"cron-too-frequent": {"min-interval": 30}}) == ["cron-too-frequent"]


STEP = stable_minute("", "ci.yml", 5)  # the offset of a step, for this file
LIST = stable_minute("", "ci.yml", 50)  # the shift of `0,5,10` (its last entry is 10)


@pytest.mark.parametrize(
    "before, after",
    [
        ("'*/5 * * * *'", f"'{STEP}-59/15 * * * *'"),
        ('"*/5 * * * *"', f'"{STEP}-59/15 * * * *"'),
        ("0,5,10 * * * *", f"{LIST} * * * *"),
        ("'0,5,10 * * * *'", f"'{LIST} * * * *'"),
        ("'*/10   9-17 * * 1-5'", f"'{STEP}-59/15   9-17 * * 1-5'"),
        ("'3-59/5 * * * *'", "'3-59/15 * * * *'"),  # already off minute 0: kept
    ],
)
def test_fix_rewrites_only_minute_and_hour_keeping_quotes(before, after):
    text = wf(before) + "# trailing comment\n"
    assert fix(text, RULE) == wf(after) + "# trailing comment\n"


def test_fix_saves_real_runs_and_is_the_stagger_engines_suggestion():
    for expr in ["*/14 * * * *", "*/8 * * * *", "*/7 * * * *", "*/5 * * * *", "*/25 * * * *", "0,5,10 9-17 * * 1-5"]:
        [finding] = lint(wf(f"'{expr}'"), RULE)
        fixed = fix(wf(f"'{expr}'"), RULE).split("cron: '")[1].split("'")[0]
        assert fixed == stagger.suggest(expr, None, ("", "ci.yml"), 15)
        assert cron.monthly_runs([(fixed, None)]) < cron.monthly_runs([(expr, None)]), expr
        assert finding.properties["monthly_runs_saved"] == cron.monthly_runs([(expr, None)]) - cron.monthly_runs([(fixed, None)])
        # the fixed schedule is flagged by neither rule, and the cost report suggests nothing for it
        assert lint(wf(f"'{fixed}'"), ["cron-too-frequent", "schedule-top-of-hour"]) == []
        assert stagger.suggest(fixed, None, ("", "ci.yml"), 15) is None


def test_fix_is_unsafe_and_reports_savings():
    [finding] = lint(wf("'*/5 * * * *'"), RULE)
    assert finding.fix.safety.value == "unsafe"
    assert finding.properties["monthly_runs_saved"] == 8_640 - 2_880
    assert f"`{STEP}-59/15 * * * *` would run 2,880 times a month." in finding.message
    assert fix(wf("'*/5 * * * *'"), RULE, unsafe=False) == wf("'*/5 * * * *'")


def test_escaped_string_gets_no_fix():
    [finding] = lint(wf('"*/5 * * * \\x2a"'), RULE)
    assert finding.fix is None


def test_invalid_cron_is_left_to_invalid_cron():
    text = wf("'*/5 * * *'")
    assert slugs(text, RULE) == []
    [finding] = lint(text, ["invalid-cron"])
    assert "exactly 5 fields" in finding.message


@pytest.mark.parametrize(
    "cron, words",
    [("'61 * * * *'", "out of range"), ("'0 0 31 2 *'", "never fires"), ("'@daily'", "5 fields")],
)
def test_invalid_cron_messages(cron, words):
    [finding] = lint(wf(cron), ["invalid-cron"])
    assert words in finding.message


def test_invalid_timezone():
    text = "on:\n  schedule:\n    - cron: '0 0 * * *'\n      timezone: Mars/Base\njobs: {}\n"
    [finding] = lint(text, ["invalid-cron"])
    assert "unknown time zone" in finding.message and finding.line == 4


def test_block_scalar_cron_is_shown_on_one_line():
    text = "on:\n  schedule:\n    - cron: |\n        */5 * * * *\njobs: {}\n"
    [finding] = lint(text, RULE)
    assert "`*/5 * * * *` fires every 5 minutes" in finding.message and "\n" not in finding.message
    assert finding.fix is None  # a block scalar is not rewritten


def test_star_14_is_reported_for_its_real_saving():
    # `*/14` fires at :00 :14 :28 :42 :56: 3,600 runs in 30 days, `*/15` 2,880, a fifth fewer
    assert slugs(wf('"*/14 * * * *"'), RULE) == ["cron-too-frequent"]  # 3,600 -> 2,880 runs: a fifth


@pytest.mark.parametrize(
    "extra",
    [
        "name: Keep Render Backend Awake\n",
        "name: keep-alive\n",
        "name: Keep WebSocket Server Alive\n",
        "# ping so the free instance does not spin down\n",
        "env:\n  URL: https://my-api.onrender.com/health\n",
        "# keep the cache\n# spin up, then keep it warm\n",  # the words on an earlier line first
        "name: Keep Äpp Alive\n",  # a text that is not ASCII
        "name: 'K\u0131ll the cold start'\n",  # a letter that folds to ASCII
    ],
)
def test_keep_awake_pingers_are_not_reported(extra):
    # the interval is the point: a less frequent ping lets the service sleep
    assert slugs(wf("'*/10 * * * *'", extra=extra), RULE) == []


@pytest.mark.parametrize("extra", ["# keep the cache small\n", "name: spin the wheel\n", "name: Cold storage sync — keep\n"])
def test_the_words_alone_do_not_make_a_pinger(extra):
    assert slugs(wf("'*/5 * * * *'", extra=extra), RULE) == ["cron-too-frequent"]


def test_frequent_monitors_are_still_reported():
    assert slugs(wf("'*/5 * * * *'", extra="name: Uptime CI\n"), RULE) == ["cron-too-frequent"]
    assert slugs(wf("'*/5 * * * *'", extra="name: heartbeat\n"), RULE) == ["cron-too-frequent"]
