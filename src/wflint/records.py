"""``record``: a dataclass with only its ``__init__`` generated, for records compared by identity.

A dataclass's generated methods are compiled from source when its module is imported;
``__repr__`` and ``__eq__`` cost as much as ``__init__``, and a short run (one file, a
pre-commit hook) imports a few dozen classes.  Records that nothing compares by value
(a run's options and reports, a workflow's jobs and steps over their YAML nodes) use
``@record``: equality is identity, and ``repr`` is object's.  Everything else of a
dataclass (``fields``, ``replace``, defaults, ``field(default_factory=...)``) is the same.
"""

from dataclasses import dataclass

record = dataclass(eq=False, repr=False)
