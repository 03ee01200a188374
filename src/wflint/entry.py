"""The ``wflint`` console script: a plain lint without loading click, and a quick exit.

A pre-commit hook or an editor runs ``wflint`` for a handful of files many times a day,
so start-up is most of its time.  ``quick_check_options`` reads a command line made only
of ``check``'s own options and paths, and returns the options exactly as click would
parse them; anything else (another command, ``--help``, an option it does not know, a
value click would reject or convert) returns None, and click parses the command line as
usual.  ``tests/test_entry.py`` holds both parsers to the same answers.

``run`` then leaves through ``os._exit`` once the output is flushed: tearing down some
180 modules at exit takes longer than a small lint.  ``_defer_ruamel_init`` keeps the
``ruamel.yaml`` package's own ``__init__`` (its whole round-trip API) from running until
something asks the package for a name: the lint uses only the parser's submodules.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, List, Optional, Sequence

# The commands of ``cli``: a first word among them is not a path (tests compare the lists).
COMMANDS = ("check", "clean", "cost", "rule", "rules", "usage")

# check's options, by what they take.  dest: the parameter name of ``checkcmd.check``.
_FLAGS = {
    "--fix": "fix",
    "--unsafe-fixes": "unsafe_fixes",
    "--diff": "diff",
    "--exit-zero": "exit_zero",
    "--exit-non-zero-on-fix": "exit_non_zero_on_fix",
    "--no-config": "no_config",
    "--no-cache": "no_cache",
    "--strict": "strict",
    "--verbose": "verbose",
    "-v": "verbose",
    "--statistics": "statistics",
    "--show-fixes": "show_fixes",
}
_SWITCH = {"--color": True, "--no-color": False}  # dest "color"
_CHOICES = {"--format": ("fmt", ("text", "json", "sarif", "github")), "--sort": ("sort_by", ("location", "savings"))}
_FILES = {"--output": "output", "-o": "output", "--config": "config_file", "--history": "history_file"}
_MULTIPLE = {"--select": "select", "--extend-select": "extend_select", "--ignore": "ignore"}
_NUMBER = {"--min-savings": "min_savings"}


def defaults() -> Dict[str, Any]:
    """check's options when none is given."""
    out: Dict[str, Any] = {dest: False for dest in _FLAGS.values()}
    out.update(paths=(), color=None, fmt=None, sort_by="location", output=None, config_file=None,
               history_file=None, select=(), extend_select=(), ignore=(), min_savings=None)
    return out


def quick_check_options(argv: Sequence[str]) -> Optional[Dict[str, Any]]:
    """The options of ``wflint check`` for ``argv``, or None to leave the command line to click."""
    if os.name == "nt":  # click expands wildcards in arguments on Windows
        return None
    args = list(argv)
    if args and args[0] == "check":
        args = args[1:]
    elif args and args[0] in COMMANDS:
        return None
    options = defaults()
    paths: List[str] = []
    multiple: Dict[str, List[str]] = {}
    given = set()
    while args:
        arg = args.pop(0)
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        name, has_value, value = arg.partition("=")
        if name in _FLAGS or name in _SWITCH:
            if has_value:
                return None
            if name in _SWITCH:
                if "color" in given:
                    return None  # --color ... --no-color: click's last-one-wins, left to click
                given.add("color")
                options["color"] = _SWITCH[name]
            else:
                options[_FLAGS[name]] = True
            continue
        takes = name in _CHOICES or name in _FILES or name in _MULTIPLE or name in _NUMBER
        if not takes or (has_value and not name.startswith("--")):
            return None  # unknown, `-h`, `--`, `-oFILE`, `-o=FILE`: click's
        if not has_value:
            if not args:
                return None
            value = args.pop(0)
        if value.startswith("-"):
            return None  # a value that looks like an option: click's rules
        if name in _MULTIPLE:
            multiple.setdefault(_MULTIPLE[name], []).append(value)
            continue
        dest = _CHOICES[name][0] if name in _CHOICES else _FILES.get(name) or _NUMBER[name]
        if dest in given:
            return None  # given twice: click's
        given.add(dest)
        if name in _CHOICES:
            if value not in _CHOICES[name][1]:
                return None
            options[dest] = value
        elif name in _FILES:
            if os.path.isdir(value):
                return None  # click reports a folder given as a file
            options[dest] = value
        else:
            number = _plain_number(value)
            if number is None:
                return None
            options[dest] = number
    options["paths"] = tuple(paths)
    for dest, values in multiple.items():
        options[dest] = tuple(values)
    return options


def _plain_number(text: str) -> Optional[float]:
    """``text`` as a float when it is ASCII digits with at most one decimal point (click converts others)."""
    digits = text.replace(".", "", 1)
    return float(text) if digits.isascii() and digits.isdigit() else None


def _defer_ruamel_init() -> None:
    """Put ``ruamel.yaml`` in ``sys.modules`` without running its ``__init__``, which imports
    the round-trip loader, dumper and representer (a tenth of a one-file run).  Submodules
    (``ruamel.yaml.nodes``, ``ruamel.yaml.cyaml``) import as usual; the first name asked of the
    package itself (``from ruamel.yaml import YAML``) runs its ``__init__`` then."""
    if "ruamel.yaml" in sys.modules:
        return
    import importlib.util

    try:
        spec = importlib.util.find_spec("ruamel.yaml")
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    package = importlib.util.module_from_spec(spec)

    def complete(name: str):
        del package.__dict__["__getattr__"]
        spec.loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = complete
    sys.modules["ruamel.yaml"] = package
    setattr(sys.modules["ruamel"], "yaml", package)  # as the import system binds a submodule (find_spec imported `ruamel`)


def _utf8(stream) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8"


def main(argv: Optional[Sequence[str]] = None) -> int:
    """The exit code of ``wflint`` for ``argv`` (default: the process's arguments)."""
    import gc

    args = list(sys.argv[1:] if argv is None else argv)
    options = quick_check_options(args) if _utf8(sys.stdout) and _utf8(sys.stderr) else None
    if options is None:
        from .cli import main as click_main

        return click_main(args)
    # No garbage collection while the modules load (their objects live as long as the
    # process); ``check`` turns it back on, with its own thresholds, for the lint.
    gc.disable()
    _defer_ruamel_init()
    from .checkcmd import EXIT_ERROR, check, echo

    try:
        return check(**options)
    except KeyboardInterrupt:
        echo("", err=True)
        echo("Aborted.", err=True)
        return EXIT_ERROR
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR


def run() -> None:
    """The console script: ``main``, then out without tearing the interpreter down."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            code = code or 2
    os._exit(code)
