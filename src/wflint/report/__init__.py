"""Output formats. Each module turns a ``RunReport`` into text and does nothing else."""

FORMATS = ("text", "json", "sarif", "github")


def render(fmt: str, report, **kwargs) -> str:
    if fmt == "json":
        from . import json as module
    elif fmt == "sarif":
        from . import sarif as module  # type: ignore[no-redef]
    elif fmt == "github":
        from . import github as module  # type: ignore[no-redef]
    else:
        from . import text as module  # type: ignore[no-redef]
    return module.render(report, **kwargs)
