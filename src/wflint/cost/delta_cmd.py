"""``wflint cost --base REF`` once its options are parsed: compare, format, gate.

Exit codes: 0, or 1 with ``--fail-over USD`` when the monthly increase in dollars is
larger than USD; 2 for a bad ref, a folder outside a git repository, an unreadable
history or prices file.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

EXIT_OK, EXIT_OVER, EXIT_ERROR = 0, 1, 2


def saved_history(path: str) -> bool:
    """Whether ``path`` is a history saved by ``wflint usage --save`` (else a raw run list)."""
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == "wflint-history"


def run(paths: Sequence[str], base: str, fmt: str, output: Optional[str], prices_file: Optional[str], public: bool,
        history_file: Optional[str], fail_over: Optional[float], cwd: str, cost: Optional[dict] = None) -> int:
    """``history_file`` is a raw run list (a saved history comes in ``cost["history"]``)."""
    from . import delta_render
    from .delta import compare
    from .gitref import GitError, toplevel
    from .pricing import PriceError, configured_prices_file, load
    from .seam import History
    from .usage import HistoryError, load_file

    def error(message: str) -> int:
        sys.stderr.write(f"wflint: error: {message}\n")
        return EXIT_ERROR

    if paths:
        return error("--base compares the repository's .github/workflows; run it in the repository without PATHS")
    try:
        root = toplevel(cwd)
        cost = dict(cost or {"visibility": "public" if public else None, "prices-file": prices_file})
        if not cost.get("prices-file"):
            cost["prices-file"] = configured_prices_file(root)
        prices = load(cost["prices-file"], public=public or cost.get("visibility") == "public")
        history = History(load_file(history_file)) if history_file else None
        delta = compare(root, base, prices, history, cost)
    except (GitError, PriceError, HistoryError) as exc:
        return error(str(exc))
    text = delta_render.FORMATS[fmt](delta, prices)
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            return error(f"{output}: cannot write the report: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if fail_over is not None and delta.diff("usd_per_month") > fail_over:
        sys.stderr.write(f"wflint: the monthly cost grows by ${delta.diff('usd_per_month'):,.2f}, more than --fail-over {fail_over:g}\n")
        return EXIT_OVER
    return EXIT_OK
