"""The arithmetic the cost report rests on: schedule counts, matrix sizes, runner classes, prices."""

import datetime as dt

import pytest

from wflint import cron
from wflint.cost import matrix, pricing, runners


def weekdays_in(start: dt.date, days: int) -> int:
    return sum(1 for i in range(days) if (start + dt.timedelta(days=i)).weekday() < 5)


def test_every_five_minutes_is_8640_runs_in_a_30_day_month():
    assert cron.monthly_runs([("*/5 * * * *", None)]) == 8640


def test_every_minute_is_held_to_the_5_minute_floor():
    assert cron.monthly_runs([("* * * * *", None)]) == 8640


def test_weekday_schedule_counts_the_weekdays_of_the_month():
    start = cron.REFERENCE_START.date()
    expected = weekdays_in(start, cron.MONTH_DAYS)
    assert cron.monthly_runs([("0 9 * * 1-5", None)]) == expected
    # Independent of the 2026-06 reference: 22 weekdays in 30 days starting on a Monday.
    assert start.weekday() == 0 and expected == 22


def test_several_crons_are_unioned_not_double_counted():
    one = cron.monthly_runs([("0 * * * *", None)])
    assert one == 720
    assert cron.monthly_runs([("0 * * * *", None), ("0 */2 * * *", None)]) == 720
    assert cron.monthly_runs([("0 * * * *", None), ("30 * * * *", None)]) == 1440


def test_timezone_schedule_counts_firings_in_that_zone():
    # Daily at 09:00 Berlin: one run a day whatever the offset.
    assert cron.monthly_runs([("0 9 * * *", "Europe/Berlin")]) == 30


def test_monthly_count_of_a_day_of_month_schedule():
    expected = sum(1 for i in range(30) if (cron.REFERENCE_START + dt.timedelta(days=i)).day in (1, 15))
    assert cron.monthly_runs([("0 0 1,15 * *", None)]) == expected


def test_matrix_3x2_with_one_exclude_and_one_extra_include_is_6_jobs():
    m = matrix.expand({
        "os": ["ubuntu-latest", "windows-latest", "macos-latest"],
        "python": ["3.11", "3.12"],
        "exclude": [{"os": "windows-latest", "python": "3.11"}],
        "include": [{"os": "ubuntu-latest", "python": "3.13"}],
    })
    assert m.size == 6
    assert {"os": "ubuntu-latest", "python": "3.13"} in m.combinations


def test_include_that_matches_existing_combinations_adds_no_job():
    m = matrix.expand({"os": ["a", "b"], "include": [{"os": "a", "extra": "x"}, {"experimental": True}]})
    assert m.size == 2
    assert m.combinations[0] == {"os": "a", "extra": "x", "experimental": True}
    assert m.combinations[1] == {"os": "b", "experimental": True}


def test_include_cannot_overwrite_an_original_value():
    # GitHub's documented example: {color: green} attaches to every combination,
    # {color: pink, animal: cat} only where animal is cat, {fruit: apple, shape: circle}
    # to apple combinations; {fruit: banana} fits none and is a new job, and so is
    # {fruit: banana, animal: cat}.
    m = matrix.expand({
        "fruit": ["apple", "pear"],
        "animal": ["cat", "dog"],
        "include": [
            {"color": "green"},
            {"color": "pink", "animal": "cat"},
            {"fruit": "apple", "shape": "circle"},
            {"fruit": "banana"},
            {"fruit": "banana", "animal": "cat"},
        ],
    })
    assert m.size == 6
    assert m.combinations[0] == {"fruit": "apple", "animal": "cat", "color": "pink", "shape": "circle"}
    assert m.combinations[3] == {"fruit": "pear", "animal": "dog", "color": "green"}
    assert m.combinations[4:] == [{"fruit": "banana"}, {"fruit": "banana", "animal": "cat"}]


def test_exclude_matches_partially():
    m = matrix.expand({"os": ["a", "b"], "v": [1, 2, 3], "exclude": [{"os": "a"}]})
    assert m.size == 3


def test_include_only_matrix():
    assert matrix.expand({"include": [{"a": 1}, {"a": 2}]}).size == 2


@pytest.mark.parametrize("value", [
    "${{ fromJSON(needs.setup.outputs.matrix) }}",
    {"os": "${{ fromJSON(inputs.os) }}"},
    {"os": ["a"], "include": "${{ fromJSON(x) }}"},
])
def test_matrix_from_an_expression_is_unknown(value):
    m = matrix.expand(value)
    assert m.size is None and "expression" in m.reason


def test_matrix_is_capped_at_256():
    m = matrix.expand({"a": list(range(20)), "b": list(range(20))})
    assert m.size == 256 and m.capped
    huge = matrix.expand({"a": list(range(300)), "b": list(range(300))})
    assert huge.size == 256 and huge.capped and huge.combinations is None


@pytest.mark.parametrize("labels,kind,sku", [
    (["ubuntu-latest"], "hosted", "linux-2"),
    (["ubuntu-24.04"], "hosted", "linux-2"),
    (["ubuntu-24.04-arm"], "hosted", "linux-arm-2"),
    (["ubuntu-slim"], "hosted", "linux-1"),
    (["windows-latest"], "hosted", "windows-2"),
    (["windows-11-arm"], "hosted", "windows-arm-2"),
    (["macos-latest"], "hosted", "macos-3"),
    (["macos-13"], "hosted", "macos-3"),
    (["macos-15-large"], "larger", "macos-12"),
    (["macos-latest-xlarge"], "larger", "macos-arm-5"),
    (["ubuntu-22.04-16core"], "larger", "linux-16"),
    (["windows-latest-8-cores"], "larger", "windows-8"),
    (["linux-arm64-4-core"], "larger", "linux-arm-4"),
    (["self-hosted", "linux", "x64"], "self-hosted", "self-hosted"),
    (["depot-ubuntu-24.04-4"], "third-party", None),
    (["${{ inputs.runner }}"], "unknown", None),
    (["my-custom-runner"], "unknown", None),
    ([], "unknown", None),
])
def test_runner_classes(labels, kind, sku):
    runner = runners.classify(labels)
    assert (runner.kind, runner.sku) == (kind, sku)


def test_macos_latest_uses_the_macos_multiplier():
    prices = pricing.load()
    sku = runners.classify(["macos-latest"]).sku
    assert prices.per_minute(sku) == 0.062
    assert prices.multiplier(sku) == pytest.approx(0.062 / 0.006)
    assert prices.multiplier("linux-2") == 1.0
    assert prices.multiplier("windows-2") == pytest.approx(0.010 / 0.006)


def test_shipped_table_has_date_source_and_self_hosted_free():
    prices = pricing.load()
    assert prices.date == "2026-01-01" and prices.source.startswith("https://docs.github.com/")
    assert prices.per_minute("self-hosted") == 0.0
    assert prices.per_minute("nonexistent") is None
    with open(pricing.SHIPPED, encoding="utf-8") as handle:
        head = handle.read(400)
    assert head.startswith("#") and "2026-01-01" in head and "docs.github.com" in head


def test_shipped_json_is_the_toml_table():
    import json
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    with open(pricing.SHIPPED, "rb") as handle:
        toml = tomllib.load(handle)
    with open(pricing.SHIPPED_DATA, encoding="utf-8") as handle:
        shipped = json.load(handle)
    assert shipped == toml, "prices.toml changed: run `python3 scripts/gen_prices_json.py`"


def test_public_repositories_pay_nothing_for_standard_runners_only():
    prices = pricing.load(public=True)
    assert prices.per_minute("linux-2") == 0.0 and prices.per_minute("macos-3") == 0.0
    assert prices.per_minute("linux-16") == 0.042


@pytest.mark.parametrize("name,content", [
    ("p.toml", '[prices]\n"linux-2" = 0.008\n"self-hosted" = 0.002\n'),
    ("p.json", '{"prices": {"linux-2": 0.008, "self-hosted": 0.002}}'),
])
def test_override_file_replaces_entries(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    prices = pricing.load(str(path))
    assert prices.per_minute("linux-2") == 0.008
    assert prices.per_minute("self-hosted") == 0.002
    assert prices.per_minute("macos-3") == 0.062  # untouched


@pytest.mark.parametrize("content,expected", [
    ('[prices]\n"linux-2" = "cheap"\n', "must be a number"),
    ('[prices\n', "not a valid prices file"),
])
def test_bad_override_file_is_a_clear_error(tmp_path, content, expected):
    path = tmp_path / "p.toml"
    path.write_text(content)
    with pytest.raises(pricing.PriceError, match=expected):
        pricing.load(str(path))


def test_prices_file_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.wflint.cost]\nprices-file = "ci/prices.toml"\n')
    assert pricing.configured_prices_file(str(tmp_path)) == str(tmp_path / "ci" / "prices.toml")
    (tmp_path / "pyproject.toml").write_text('[tool.other]\nx = 1\n')
    assert pricing.configured_prices_file(str(tmp_path)) is None


def test_matrix_values_are_compared_as_json():
    from wflint.cost.matrix import _same

    assert _same("a", "a") and not _same("a", "b")
    assert not _same(1, 1.0) and not _same(True, 1) and not _same("1", 1)
    assert _same({"os": ["a", 1]}, {"os": ["a", 1]}) and not _same({"x": 1}, {"x": True})
    # an include that names a value of another type adds its own combination
    assert matrix.expand({"v": [1, 2], "include": [{"v": True, "extra": "x"}]}).size == 3
    assert matrix.expand({"v": ["1", "2"], "exclude": [{"v": 1}]}).size == 2
