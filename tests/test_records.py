"""@record builds instances as a generated dataclass __init__ would, without generating one."""

import dataclasses
from typing import List, Optional

import pytest

from wflint.records import record


@record
class Report:
    display: str
    path: Optional[str] = None
    findings: List[int] = dataclasses.field(default_factory=list)
    fixed: int = 0


@dataclasses.dataclass(eq=False, repr=False)
class Generated:
    display: str
    path: Optional[str] = None
    findings: List[int] = dataclasses.field(default_factory=list)
    fixed: int = 0


CALLS = [
    (("x",), {}),
    (("x", "p"), {}),
    (("x", "p", [1]), {}),
    (("x", "p", [1], 2), {}),
    ((), {"display": "x", "fixed": 3}),
    ((), {"display": "x", "path": "p", "findings": [1], "fixed": 2}),
    (("x",), {"findings": [4]}),
]


@pytest.mark.parametrize("args, kwargs", CALLS)
def test_same_fields_as_a_generated_init(args, kwargs):
    made, expected = Report(*args, **kwargs), Generated(*args, **kwargs)
    assert dataclasses.asdict(made) == dataclasses.asdict(expected)


BAD = [
    ((), {}),  # missing display
    (("x", "p", [], 1, 5), {}),  # too many
    (("x",), {"display": "y"}),  # twice
    (("x",), {"bogus": 1}),  # unknown
]


@pytest.mark.parametrize("args, kwargs", BAD)
def test_same_errors_as_a_generated_init(args, kwargs):
    with pytest.raises(TypeError):
        Generated(*args, **kwargs)
    with pytest.raises(TypeError):
        Report(*args, **kwargs)


def test_factories_give_each_instance_its_own_value_and_dataclass_helpers_work():
    a, b = Report("a"), Report("b")
    a.findings.append(1)
    assert b.findings == [] and a != Report("a")  # identity equality
    assert dataclasses.replace(a, fixed=2).fixed == 2 and dataclasses.is_dataclass(Report)
    assert [f.name for f in dataclasses.fields(Report)] == ["display", "path", "findings", "fixed"]


@record(frozen=True)
class Point:
    x: int
    y: int = 0


def test_a_frozen_record_refuses_assignment_after_init():
    point = Point(1)
    assert (point.x, point.y) == (1, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.y
    assert dataclasses.replace(point, y=5).y == 5 and point.y == 0


def test_finding_but_is_dataclasses_replace():
    import dataclasses

    from wflint.finding import Finding, Span

    finding = Finding(span=Span(1, 2), message="m", properties={"a": 1}, code="WFL001", line=3)
    for changes in ({}, {"message": "n"}, {"properties": {"b": 2}, "line": 4, "fix": None}):
        made = finding.but(**changes)
        expected = dataclasses.replace(finding, **changes)
        assert made == expected and made.__dict__ == expected.__dict__ and made is not finding
    assert finding.message == "m" and finding.line == 3  # the original is unchanged
    with pytest.raises(TypeError):
        finding.but(colour="red")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.but(line=5).line = 6


def test_positional_calls_keep_the_field_order_of_named_ones():
    # vars() is written out as it is (a JSON object's key order): the same whichever way a record is made
    assert list(vars(Report("x", "p"))) == list(vars(Report(display="x", path="p")))
    assert list(vars(Report("x", "p", [1]))) == list(vars(Report(display="x", path="p", findings=[1])))


def test_a_required_field_after_a_default_is_still_required():
    @record
    class Odd:  # no generated __init__, so dataclass does not refuse this order
        first: int = 1
        second: int = dataclasses.field(default_factory=int)
        needed: str = dataclasses.field(default=dataclasses.MISSING)

    with pytest.raises(TypeError):
        Odd(5)
    assert vars(Odd(5, 6, "n")) == {"first": 5, "second": 6, "needed": "n"}
