"""The console script's click-free path parses exactly as click does, or leaves the command line to click."""

import pytest

from helpers import run_code
from wflint import checkcmd, entry
from wflint.cli import cli, main as click_main

WORKFLOW = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"


def _click_options(argv, monkeypatch):
    """The options click hands to the check command for ``argv`` (None: click did not call it)."""
    seen = {}

    def capture(**options):
        seen.update(options)
        return 0

    monkeypatch.setattr(checkcmd, "check", capture)
    click_main(list(argv))
    return seen or None


TAKEN = [
    [],
    ["a.yml"],
    ["check"],
    ["check", "a.yml", "b.yaml"],
    ["-"],
    ["--fix", "a.yml"],
    ["--fix", "--unsafe-fixes", "--diff", "a.yml"],
    ["check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "a.yml"],  # the pre-commit hook
    ["--no-cache", "--format", "sarif", "-o", "out.sarif"],
    ["--format=json", "--output=r.json", "x.yml"],
    ["a.yml", "--strict", "b.yml", "-v"],  # options after paths
    ["--select", "WFL001,missing-timeout", "--select", "WFL003", "--ignore", "x"],
    ["--extend-select", "all", "--min-savings", "0"],
    ["--min-savings", "12.5", "--sort", "savings"],
    ["--min-savings", ".5"],
    ["--color", "a.yml"],
    ["--no-color"],
    ["--config", "wflint.toml", "--no-config", "--history", "h.json"],
    ["--statistics", "--show-fixes", "--exit-zero", "--verbose"],
    ["--select", ""],
    ["", "a.yml"],
    ["x", "check"],  # a later `check` is a path
]

LEFT_TO_CLICK = [
    ["--help"],
    ["-h"],
    ["check", "--help"],
    ["a.yml", "-h"],
    ["--version"],
    ["rules"],
    ["cost", "a.yml"],
    ["--format", "xml"],
    ["--format"],
    ["--min-savings", "-1"],
    ["--min-savings", "1e3"],
    ["--min-savings", "ten"],
    ["--color", "--no-color"],
    ["-oout.txt"],
    ["-o=out.txt"],
    ["--", "a.yml"],
    ["--bogus"],
    ["--fix=yes"],
    ["--sort", "name"],
    ["--output", "a", "--output", "b"],
    ["--output", "."],  # a folder: click's error
    ["-vo", "x"],
]


@pytest.mark.parametrize("argv", TAKEN, ids=lambda argv: " ".join(argv) or "(none)")
def test_quick_parse_equals_clicks(argv, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    quick = entry.quick_check_options(argv)
    assert quick is not None, "a plain command line should not need click"
    assert quick == _click_options(argv, monkeypatch)


@pytest.mark.parametrize("argv", LEFT_TO_CLICK, ids=" ".join)
def test_anything_else_is_left_to_click(argv, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert entry.quick_check_options(argv) is None


def test_tables_cover_every_option_of_check_and_every_command():
    command = cli.commands["check"]
    declared = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts) if opt.startswith("-")}
    quick = {*entry._FLAGS, *entry._SWITCH, *entry._CHOICES, *entry._FILES, *entry._MULTIPLE, *entry._NUMBER}
    assert quick == declared - {"--help", "-h"}
    assert set(entry.COMMANDS) == set(cli.commands)
    assert set(entry.defaults()) == {param.name for param in command.params}
    for name, (_, choices) in entry._CHOICES.items():
        param = next(p for p in command.params if name in p.opts)
        assert tuple(param.type.choices) == choices


QUICK = "import sys\nfrom wflint.entry import main\nsys.exit(main())"
CLICK = "import sys\nfrom wflint.cli import main\nsys.exit(main())"


@pytest.mark.parametrize(
    "args",
    [
        ["--no-cache", "ci.yml"],
        ["--no-cache", "--format", "json", "ci.yml"],
        ["--no-cache", "--diff", "--unsafe-fixes", "ci.yml"],
        ["--no-cache", "--statistics", "--format", "sarif", "ci.yml"],  # a usage error
        ["--no-cache", "--config", "missing.toml", "ci.yml"],  # a configuration error
        ["--no-cache", "missing.yml"],
        ["--no-cache", "--unsafe-fixes", "--show-fixes", "ci.yml"],  # warnings
    ],
    ids=" ".join,
)
def test_both_paths_print_and_exit_alike(args, tmp_path):
    (tmp_path / "ci.yml").write_text(WORKFLOW)
    quick, slow = run_code(QUICK, tmp_path, *args), run_code(CLICK, tmp_path, *args)
    assert (quick.returncode, quick.stdout, quick.stderr) == (slow.returncode, slow.stdout, slow.stderr)


def test_a_plain_lint_does_not_load_click(tmp_path):
    (tmp_path / "ci.yml").write_text(WORKFLOW)
    code = "import sys\nfrom wflint.entry import main\nmain(['--no-cache', 'ci.yml'])\nprint('CLICK', 'click' in sys.modules)"
    result = run_code(code, tmp_path)
    assert result.stdout.splitlines()[-1] == "CLICK False", result.stderr


def test_console_script_exits_with_the_code_and_flushed_output(tmp_path):
    (tmp_path / "ci.yml").write_text(WORKFLOW.replace("make", "make && sleep 1"))
    code = "from wflint.entry import run\nrun()"
    result = run_code(code, tmp_path, "--no-cache", "--min-savings", "0", "--format", "json", "ci.yml")
    assert result.returncode == 1
    assert result.stdout.rstrip().endswith("}")  # the whole report, flushed before os._exit
    from wflint import __version__

    version = run_code(code, tmp_path, "--version")  # through click
    assert (version.returncode, version.stdout) == (0, f"wflint {__version__}\n")


def test_ruamel_package_completes_when_asked_for_a_name(tmp_path):
    # the fast path defers ruamel.yaml's __init__; a YAML configuration file still loads through it
    (tmp_path / "ci.yml").write_text(WORKFLOW)
    (tmp_path / ".wflint.yaml").write_text("extend-select: [missing-timeout]\n")  # on only with history otherwise
    code = (
        "import sys\nfrom wflint.entry import main\n"
        "print('EXIT', main(['--no-cache', '--min-savings', '0', '--format', 'json', 'ci.yml']))\n"
        "import ruamel.yaml\nprint('YAML', ruamel.yaml.YAML(typ='safe').load('a: [1]'), ruamel.yaml.__version__ > '0')"
    )
    result = run_code(code, tmp_path)
    lines = result.stdout.splitlines()
    assert "EXIT 1" in lines and "YAML {'a': [1]} True" in lines, result.stderr
    assert '"slug": "missing-concurrency"' in result.stdout
    assert '"slug": "missing-timeout"' in result.stdout  # the YAML configuration was read
