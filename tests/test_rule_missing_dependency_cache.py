"""missing-dependency-cache (WFL007): lock files, installers set up later, other working directories."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint

RULE = "missing-dependency-cache"


def job(*steps: str, extra: str = "") -> str:
    body = "".join(f"      - {s}\n" for s in steps)
    return f"on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n{extra}    steps:\n{body}"


def repo(tmp_path, *files: str) -> str:
    for name in files:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return str(tmp_path)


@pytest.mark.parametrize(
    "steps",
    [
        ("uses: actions/setup-python@v5", "run: pip install poetry", "run: poetry install"),
        ("uses: actions/setup-python@v5", "run: pipx install poetry && poetry install --no-root"),
        ("uses: actions/setup-node@v4", "run: npm i -g pnpm", "run: pnpm install --frozen-lockfile"),
        ("uses: actions/setup-node@v4", "uses: pnpm/action-setup@v4", "run: pnpm install"),
    ],
)
def test_installer_set_up_after_the_setup_action_is_not_reported(tmp_path, steps):
    root = repo(tmp_path, "poetry.lock", "pnpm-lock.yaml", "requirements.txt")
    assert lint(RULE, job(*steps), repo_root=root) == []


def test_installer_set_up_before_the_setup_action(tmp_path):
    root = repo(tmp_path, "poetry.lock", "pnpm-lock.yaml")
    poetry = job("run: pipx install poetry", "uses: actions/setup-python@v5", "run: poetry install")
    assert fix(RULE, poetry, repo_root=root) == job(
        "run: pipx install poetry", "uses: actions/setup-python@v5\n        with:\n          cache: poetry", "run: poetry install"
    )
    pnpm = job("uses: pnpm/action-setup@v4", "uses: actions/setup-node@v4", "run: pnpm install")
    assert fix(RULE, pnpm, repo_root=root) == job(
        "uses: pnpm/action-setup@v4", "uses: actions/setup-node@v4\n        with:\n          cache: pnpm", "run: pnpm install"
    )


def test_other_installers_are_not_covered_by_pip(tmp_path):
    root = repo(tmp_path, "uv.lock", "pyproject.toml", "pdm.lock")
    for install in ("uv sync", "uv pip install -r requirements.txt", "pdm install"):
        assert lint(RULE, job("uses: actions/setup-python@v5", f"run: {install}"), repo_root=root) == []


def test_cache_value_matches_the_lock_file_of_the_installer(tmp_path):
    root = repo(tmp_path, "poetry.lock")
    # pip with only a poetry.lock: `cache: pip` finds no requirements file and fails
    assert lint(RULE, job("uses: actions/setup-python@v5", "run: pip install -r requirements.txt"), repo_root=root) == []
    root = repo(tmp_path, "Pipfile.lock", "requirements.txt")
    assert fix(RULE, job("uses: actions/setup-python@v5", "run: pipenv install --dev"), repo_root=root) == job(
        "uses: actions/setup-python@v5\n        with:\n          cache: pipenv", "run: pipenv install --dev"
    )


@pytest.mark.parametrize(
    "steps, extra",
    [
        (("uses: actions/setup-node@v4", "run: npm ci\n        working-directory: web"), ""),
        (("uses: actions/setup-node@v4", "run: cd web && npm ci"), ""),
        (("uses: actions/setup-node@v4", "run: |\n          cd ./web/\n          npm ci"), ""),
        (("uses: actions/setup-node@v4", "run: npm ci"), "    defaults:\n      run:\n        working-directory: web\n"),
        (("{uses: actions/checkout@v4, with: {path: web}}", "uses: actions/setup-node@v4", "run: npm ci"), ""),
    ],
)
def test_install_in_another_directory(tmp_path, steps, extra):
    text = job(*steps, extra=extra)
    assert lint(RULE, text) == []  # no repository: where the lock file is cannot be checked
    assert lint(RULE, text, repo_root=repo(tmp_path, "package-lock.json")) == []  # none in web/
    (finding,) = lint(RULE, text, repo_root=repo(tmp_path, "web/package-lock.json"))
    assert finding.fix is None and "`web`" in finding.message and "cache-dependency-path" in finding.message


def test_unknown_directory_is_not_reported(tmp_path):
    text = job("uses: actions/setup-node@v4", "run: cd $APP_DIR && npm ci")
    assert lint(RULE, text, repo_root=repo(tmp_path, "package-lock.json")) == []


def test_root_install_with_lock_file_is_reported_with_fix(tmp_path):
    text = job("uses: actions/setup-node@v4", "run: npm ci")
    (finding,) = lint(RULE, text, repo_root=repo(tmp_path, "package-lock.json"))
    assert finding.fix is not None


def test_gemfile_changed_after_setup_is_not_reported(tmp_path):
    root = repo(tmp_path, "Gemfile", "Gemfile.lock")
    text = job("uses: ruby/setup-ruby@v1", "run: bundle add rubocop --skip-install", "run: bundle install")
    assert lint(RULE, text, repo_root=root) == []
    assert len(lint(RULE, job("uses: ruby/setup-ruby@v1", "run: bundle install"), repo_root=root)) == 1


@pytest.mark.parametrize(
    "steps",
    [
        ("uses: actions/setup-python@v5", "{uses: actions/download-artifact@v4, with: {name: reqs, path: requirements}}",
         "run: pip install -r requirements/requirements.txt"),
        ("uses: actions/setup-python@v5", "run: pip-compile --output-file requirements.txt pyproject.toml",
         "run: pip install -r requirements.txt"),
        ("uses: actions/setup-python@v5", "run: poetry export -o requirements.txt && pip install -r requirements.txt"),
    ],
)
def test_requirements_made_during_the_job_are_not_reported(steps):
    assert lint(RULE, job(*steps)) == []


def test_requirements_in_the_repository_are_reported():
    text = job("uses: actions/setup-python@v5", "{uses: actions/download-artifact@v4, with: {path: dist}}",
               "run: pip install -r requirements.txt")
    assert len(lint(RULE, text)) == 1


def test_artifact_downloaded_into_the_workspace():
    build = "{uses: actions/download-artifact@v4, with: {name: dist}}"
    reqs = "{uses: actions/download-artifact@v4, with: {name: requirements}}"
    install = "run: pip install -r requirements.txt"
    assert len(lint(RULE, job("uses: actions/setup-python@v5", build, install))) == 1
    assert lint(RULE, job("uses: actions/setup-python@v5", reqs, install)) == []


@pytest.mark.parametrize(
    "install",
    [
        "pip install uv && uv pip install --system -r requirements.txt",
        "python -m pip install uv; uv pip install -r requirements.txt",
        "pip install --upgrade uv && uv pip install --group test",
    ],
)
def test_uv_installed_by_pip_is_uvs_install(install):
    # `cache: pip` does not cover uv's cache: the command is uv's, not pip's
    assert lint(RULE, job("uses: actions/setup-python@v5", f"run: {install}")) == []


def test_pip_after_another_command_is_still_pips_install():
    assert len(lint(RULE, job("uses: actions/setup-python@v5", "run: pip install -U pip wheel; pip install -r requirements.txt"))) == 1


@pytest.mark.parametrize(
    "steps",
    [
        ("uses: actions/setup-node@v4", "uses: actions/checkout@v4", "run: npm ci"),
        ("uses: actions/setup-python@v5", "uses: actions/checkout@v4", "run: pip install -r requirements.txt"),
    ],
)
def test_setup_before_the_checkout_is_reported_without_a_fix(tmp_path, steps):
    # the cache input looks for the lock file when the setup step runs: not checked out yet,
    # so adding it alone would fail the step
    root = repo(tmp_path, "package-lock.json", "requirements.txt")
    (finding,) = lint(RULE, job(*steps), repo_root=root)
    assert finding.fix is None and "before `actions/checkout`" in finding.message
    checkout_first = (steps[1], steps[0], steps[2])
    (finding,) = lint(RULE, job(*checkout_first), repo_root=root)
    assert finding.fix is not None and "checkout" not in finding.message


@pytest.mark.parametrize("install", ["pip install flake8 mypy", "pip install pyright==1.1.400 types-requests", "npm install -g markdownlint-cli"])
def test_a_few_named_packages_are_not_reported(tmp_path, install):
    # no lock or requirements file behind them: a cache saves seconds, and the pip cache
    # fails the setup step in a repository without a requirements file
    text = job("uses: actions/setup-python@v5", "uses: actions/setup-node@v4", f"run: {install}")
    assert lint(RULE, text, repo_root=repo(tmp_path, "requirements.txt", "package-lock.json")) == []
