"""missing-dependency-cache (WFL007), artifact-retention (WFL008), checkout-full-history (WFL016)."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint


def job(*steps: str, extra: str = "") -> str:
    body = "".join(f"      - {s}\n" for s in steps)
    return f"on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n{extra}    steps:\n{body}"


# -- missing-dependency-cache ------------------------------------------------------------------


@pytest.mark.parametrize(
    "setup, install",
    [
        ("uses: actions/setup-node@v4", "run: npm ci"),
        ("uses: actions/setup-node@v4", "run: yarn --frozen-lockfile"),
        ("uses: actions/setup-python@v5", "run: python -m pip install -r requirements.txt"),
        ("uses: actions/setup-java@v4", "run: ./gradlew build"),
        ("uses: actions/setup-go@v3", "run: go mod download"),
        ("uses: ruby/setup-ruby@v1", "run: bundle install"),
        ("uses: actions/setup-dotnet@v4", "run: dotnet restore --locked-mode"),
    ],
)
def test_dependency_cache_positive(setup, install):
    (finding,) = lint("missing-dependency-cache", job("uses: actions/checkout@v4", setup, install))
    assert "does not cache" in finding.message and finding.line == 7


@pytest.mark.parametrize(
    "steps",
    [
        ("uses: actions/setup-node@v4", "run: npm install -g npm"),  # global install only
        ("uses: actions/setup-node@v4", "run: yarn build"),
        ("uses: actions/setup-node@v4", "run: node script.js"),  # nothing installed
        ("uses: actions/setup-go@v5", "run: go test ./..."),  # caches by default since v4
        ("{uses: actions/setup-go@v3, with: {cache: false}}", "run: go test ./..."),
        ("{uses: actions/setup-python@v5, with: {cache: ''}}", "run: pip install -e ."),  # decided
        ("{uses: actions/setup-node@v4, with: {cache: npm}}", "run: npm ci"),
        ("{uses: ruby/setup-ruby@v1, with: {bundler-cache: true}}", "run: bundle exec rake"),
        ("uses: actions/setup-node@v4", "{uses: actions/cache@v4, with: {path: ~/.npm, key: x}}", "run: npm ci"),
        ("uses: actions/setup-java@v4", "uses: gradle/actions/setup-gradle@v4", "run: ./gradlew build"),
        ("uses: actions/setup-node@v4", "run: npm ci && npm publish"),  # a publish job
        ("uses: actions/setup-java@v4", "run: ./gradlew publishToSonatype"),
        ("uses: actions/setup-python@v5", "run: pip install tox && tox"),  # one named tool
        ("uses: actions/setup-node@v4", "run: npm install typescript"),
        ("uses: actions/setup-python@v5", "run: uv pip install -r requirements.txt"),  # uv's own cache
        ("uses: actions/setup-java@v4", "run: echo > build.gradle"),
        ("uses: actions/setup-python@v5", "{uses: actions/cache@v4, with: {path: venv, key: k}}", "run: pip install -r r.txt"),
        ("uses: actions/setup-java@v4", "{uses: actions/setup-java@v4, with: {cache: sbt}}", "run: sbt test"),
    ],
)
def test_dependency_cache_negative(steps):
    assert lint("missing-dependency-cache", job(*steps)) == []


def test_dependency_cache_skips_release_jobs_and_counts_project_installs(tmp_path):
    release = job("uses: actions/setup-python@v5", "run: pip install -r requirements.txt").replace("  test:", "  release:")
    assert lint("missing-dependency-cache", release) == []
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "package-lock.json").write_text("{}")
    for install in ("pip install -e .", "pip install .[dev]", "python -m pip install --group test", "npm install --no-audit"):
        text = job("uses: actions/setup-python@v5", "uses: actions/setup-node@v4", f"run: {install}")
        assert len(lint("missing-dependency-cache", text, repo_root=str(tmp_path))) == 1


def test_dependency_cache_other_cache_does_not_count():
    text = job("uses: actions/setup-node@v4", "{uses: actions/cache@v4, with: {path: ~/.cargo, key: x}}", "run: npm ci")
    assert len(lint("missing-dependency-cache", text)) == 1


def test_dependency_cache_commented_out_cache_is_a_decision():
    text = job("uses: actions/setup-python@v5\n        with:\n          python-version: '3.12'\n          # cache: pip", "run: pip install tox")
    assert lint("missing-dependency-cache", text) == []


def test_dependency_cache_fix_from_lock_files(tmp_path):
    text = job("uses: actions/setup-node@v4", "run: npm install")
    assert lint("missing-dependency-cache", text, repo_root=str(tmp_path)) == []  # no lock file: `cache:` would fail
    (tmp_path / "package-lock.json").write_text("{}")
    assert fix("missing-dependency-cache", text, repo_root=str(tmp_path)) == job(
        "uses: actions/setup-node@v4\n        with:\n          cache: npm", "run: npm install"
    )
    (tmp_path / "yarn.lock").write_text("")
    yarn = job("uses: actions/setup-node@v4", "run: yarn install")
    assert fix("missing-dependency-cache", yarn, repo_root=str(tmp_path)) == job(
        "uses: actions/setup-node@v4\n        with:\n          cache: yarn", "run: yarn install"
    )


def test_dependency_cache_lock_file_of_the_manager_the_job_uses(tmp_path):
    (tmp_path / "package-lock.json").write_text("{}")
    # yarn without yarn.lock: `cache: yarn` fails, `cache: npm` caches what yarn never reads
    assert lint("missing-dependency-cache", job("uses: actions/setup-node@v4", "run: yarn install"), repo_root=str(tmp_path)) == []
    (tmp_path / "Gemfile.lock").write_text("")
    ruby = job("uses: ruby/setup-ruby@v1\n        with:\n          ruby-version: '3.3'  # keep", "run: bundle install")
    assert fix("missing-dependency-cache", ruby, repo_root=str(tmp_path)) == job(
        "uses: ruby/setup-ruby@v1\n        with:\n          ruby-version: '3.3'  # keep\n          bundler-cache: true",
        "run: bundle install",
    )


def test_dependency_cache_fix_without_repository_uses_commands():
    assert fix("missing-dependency-cache", job("uses: actions/setup-python@v5", "run: pipenv sync")) == job(
        "uses: actions/setup-python@v5\n        with:\n          cache: pipenv", "run: pipenv sync"
    )
    (finding,) = lint("missing-dependency-cache", job("uses: actions/setup-go@v3", "run: go mod download"))
    assert finding.fix is not None
    # commands that work without a lock file are no evidence that one exists
    for setup, install in [
        ("actions/setup-node@v4", "npm install"),
        ("actions/setup-node@v4", "yarn"),
        ("actions/setup-python@v5", "pip install -e ."),
        ("actions/setup-python@v5", "pip install -r requirements-dev.txt"),
        ("actions/setup-go@v3", "go test ./..."),
        ("actions/setup-dotnet@v4", "dotnet test"),
    ]:
        assert lint("missing-dependency-cache", job(f"uses: {setup}", f"run: {install}")) == [], install


# -- artifact-retention --------------------------------------------------------------------------


def test_artifact_retention_positive_and_fix_in_both_forms():
    with_block = "uses: actions/upload-artifact@v4\n        with:\n          name: x\n          path: out/  # build"
    assert len(lint("artifact-retention", job(with_block))) == 1
    assert fix("artifact-retention", job(with_block)) == job(with_block + "\n          retention-days: 7")
    bare = "name: upload\n        uses: actions/upload-artifact@v4"
    assert fix("artifact-retention", job(bare), options={"days": 3}) == job(bare + "\n        with:\n          retention-days: 3")
    flow = "{uses: actions/upload-artifact@v4, with: {path: out}}"
    assert fix("artifact-retention", job(flow)) == job("{uses: actions/upload-artifact@v4, with: {path: out, retention-days: 7}}")


def test_artifact_retention_crlf():
    text = job("uses: actions/upload-artifact@v4\n        with:\n          path: out").replace("\n", "\r\n")
    expected = job("uses: actions/upload-artifact@v4\n        with:\n          path: out\n          retention-days: 7")
    assert fix("artifact-retention", text) == expected.replace("\n", "\r\n")


@pytest.mark.parametrize(
    "step",
    [
        "{uses: actions/upload-artifact@v4, with: {path: out, retention-days: 5}}",
        "{uses: actions/upload-artifact@v4, with: {path: out, retention-days: '${{ inputs.days }}'}}",
        "uses: actions/upload-pages-artifact@v3",
        "uses: actions/download-artifact@v4",
        "uses: ./actions/upload-artifact",
    ],
)
def test_artifact_retention_negative(step):
    assert lint("artifact-retention", job(step)) == []


# -- checkout-full-history ----------------------------------------------------------------------------


def test_full_history_positive():
    text = job("uses: actions/checkout@v4\n        with:\n          fetch-depth: 0", "run: npm ci && npm test")
    (finding,) = lint("checkout-full-history", text)
    assert finding.line == 8


@pytest.mark.parametrize(
    "use",
    [
        "run: git describe --tags",
        "run: git log --oneline origin/main..HEAD",
        "run: python -m setuptools_scm",
        "run: make dist",
        "run: ./scripts/release.sh",
        "uses: tj-actions/changed-files@v44",
        "uses: goreleaser/goreleaser-action@v6",
        "uses: ./.github/actions/build",
        "run: pip install .",
    ],
)
def test_full_history_negative_when_history_may_be_used(use):
    text = job("uses: actions/checkout@v4\n        with:\n          fetch-depth: 0", use)
    assert lint("checkout-full-history", text) == []


def test_full_history_other_depths_and_repositories():
    assert lint("checkout-full-history", job("{uses: actions/checkout@v4, with: {fetch-depth: 2}}", "run: npm test")) == []
    other = "{uses: actions/checkout@v4, with: {repository: o/r, fetch-depth: 0}}"
    assert lint("checkout-full-history", job(other, "run: npm test")) == []
