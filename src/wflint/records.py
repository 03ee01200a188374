"""``record``: a dataclass whose methods are not generated, for records compared by identity.

A dataclass's ``__init__``, ``__repr__`` and ``__eq__`` are compiled from generated source
when its module is imported, and a short run (one file, a pre-commit hook) imports a few
dozen classes: compiling their methods was a fifth of such a run.  Records that nothing
compares by value (a run's options and reports, a workflow's jobs and steps over their YAML
nodes) use ``@record``: a dataclass with no generated method, whose ``__init__`` is one
shared function that takes the fields as a generated one would (positionally in order, or
by name; defaults and ``default_factory`` applied; a missing, unknown or repeated argument
is a TypeError).  Equality is identity, and ``repr`` is object's.  ``dataclasses.fields``,
``replace`` and ``asdict`` work as for any dataclass.  ``@record(frozen=True)`` refuses
assignment after ``__init__`` (``dataclasses.FrozenInstanceError``), for values shared
through caches (a parsed cron expression, a runner's class, a rule).
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from typing import Any, Dict, Optional, Tuple, Type, TypeVar

T = TypeVar("T")


def _refuse_set(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def record(cls: Optional[Type[T]] = None, *, frozen: bool = False):
    if cls is None:
        return lambda inner: record(inner, frozen=frozen)
    cls = dataclass(init=False, eq=False, repr=False)(cls)
    every = fields(cls)
    names: Tuple[str, ...] = tuple(f.name for f in every)
    allowed = frozenset(names)
    defaults: Dict[str, Any] = {f.name: f.default for f in every if f.default is not MISSING}
    factories = tuple((f.name, f.default_factory) for f in every if f.default_factory is not MISSING)
    required = tuple(f.name for f in every if f.default is MISSING and f.default_factory is MISSING)
    title = cls.__name__

    count = len(names)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs and len(args) == count:  # every field, in order
            self.__dict__.update(zip(names, args))
            return
        if not args and len(kwargs) == count and kwargs.keys() == allowed:  # every field, by name
            self.__dict__.update(kwargs)
            return
        if len(args) > count:
            raise TypeError(f"{title}() takes {count} positional arguments but {len(args)} were given")
        given = dict(zip(names, args))
        if kwargs:
            unknown = kwargs.keys() - allowed
            if unknown:
                raise TypeError(f"{title}() got an unexpected keyword argument {sorted(unknown)[0]!r}")
            twice = kwargs.keys() & given.keys()
            if twice:
                raise TypeError(f"{title}() got multiple values for argument {sorted(twice)[0]!r}")
            given.update(kwargs)
        for name in required:
            if name not in given:
                raise TypeError(f"{title}() missing required argument: {name!r}")
        values = self.__dict__
        values.update(defaults)
        for name, make in factories:
            if name not in given:
                values[name] = make()
        values.update(given)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = __init__  # type: ignore[misc]
    if frozen:  # __init__ writes the instance's __dict__ directly
        cls.__setattr__ = _refuse_set  # type: ignore[assignment]
        cls.__delattr__ = _refuse_delete  # type: ignore[assignment]
    return cls
