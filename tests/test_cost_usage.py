"""Usage from run history, and the REST client against a local HTTP server (never the network)."""

import datetime as dt
import http.server
import json
import threading
import urllib.parse

import pytest

from wflint.cli import main
from wflint.cost import api, pricing, usage

PRICES = pricing.load()


def rest_run(i, name, created, updated, branch="main", conclusion="success", status="completed", started=None, event="push"):
    return {
        "id": i, "name": name, "event": event, "status": status, "conclusion": conclusion,
        "created_at": created, "updated_at": updated, "run_started_at": started or created, "head_branch": branch,
        "workflow_id": 7, "path": ".github/workflows/ci.yml",
    }


def gh_run(i, name, created, updated, branch="main", conclusion="success", status="completed", event="push"):
    return {"databaseId": i, "workflowName": name, "event": event, "status": status, "conclusion": conclusion,
            "createdAt": created, "updatedAt": updated, "headBranch": branch}


# Ten days of CI: runs 1-2 overlap on main (1 superseded), 3 is on another branch.
GH_RUNS = [
    gh_run(1, "CI", "2026-05-01T10:00:00Z", "2026-05-01T10:10:00Z"),
    gh_run(2, "CI", "2026-05-01T10:05:00Z", "2026-05-01T10:12:30Z", conclusion="failure"),
    gh_run(3, "CI", "2026-05-01T10:06:00Z", "2026-05-01T10:08:00Z", branch="feature"),
    gh_run(4, "CI", "2026-05-11T10:00:00Z", "2026-05-11T10:04:00Z", conclusion="cancelled"),
    gh_run(5, "Nightly", "2026-05-02T00:00:00Z", "2026-05-02T01:00:00Z", event="schedule"),
    gh_run(6, "Nightly", "2026-05-03T00:00:00Z", "2026-05-03T00:00:00Z", status="in_progress", conclusion=None, event="schedule"),
]


def test_gh_run_list_file(tmp_path):
    path = tmp_path / "runs.json"
    path.write_text(json.dumps(GH_RUNS))
    runs = usage.load_file(str(path))
    assert len(runs) == 6
    report = usage.summarise(runs, PRICES, "linux-2")
    assert report.days == pytest.approx(10.0)
    ci = next(w for w in report.workflows if w.name == "CI")
    assert ci.runs == 4 and ci.runs_per_day == pytest.approx(0.4)
    assert ci.success_rate == pytest.approx(2 / 4)  # success, failure, success, cancelled
    assert ci.median_minutes == pytest.approx((7.5 + 4) / 2)  # durations 10, 7.5, 2, 4
    assert ci.p90_minutes == pytest.approx(10)
    assert ci.billed_minutes_month == pytest.approx((10 + 8 + 2 + 4) * 3)
    assert ci.usd_month == pytest.approx(24 * 3 * 0.006)
    assert ci.superseded == 1 and ci.superseded_share == pytest.approx(0.25)
    assert ci.superseded_minutes_month == pytest.approx(10 * 3)
    nightly = next(w for w in report.workflows if w.name == "Nightly")
    assert nightly.runs == 2 and nightly.completed == 1 and nightly.superseded == 0
    assert nightly.events == {"schedule": 2}


def test_superseded_needs_same_workflow_and_branch():
    runs = usage.normalise([
        gh_run(1, "A", "2026-01-01T00:00:00Z", "2026-01-01T00:30:00Z"),
        gh_run(2, "B", "2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z"),
        gh_run(3, "A", "2026-01-01T00:10:00Z", "2026-01-01T00:20:00Z", branch="other"),
        gh_run(4, "A", "2026-01-01T00:40:00Z", "2026-01-01T00:50:00Z"),
    ])
    assert usage.superseded(runs) == []
    runs.append(usage.normalise([gh_run(5, "A", "2026-01-01T00:45:00Z", "2026-01-01T00:55:00Z")])[0])
    assert [r.id for r in usage.superseded(runs)] == [4]


def test_rest_pages_in_every_saved_shape(tmp_path):
    page1 = {"total_count": 3, "workflow_runs": [rest_run(1, "CI", "2026-01-01T00:00:00Z", "2026-01-01T00:05:00Z", started="2026-01-01T00:01:00Z")]}
    page2 = {"total_count": 3, "workflow_runs": [rest_run(2, "CI", "2026-01-02T00:00:00Z", "2026-01-02T00:05:00Z"),
                                                 rest_run(3, "CI", "2026-01-03T00:00:00Z", "2026-01-03T00:05:00Z")]}
    for text in (json.dumps([page1, page2]), json.dumps(page1) + "\n" + json.dumps(page2)):
        runs = usage.runs_from_json(text)
        assert [r.id for r in runs] == [1, 2, 3]
        assert runs[0].minutes == pytest.approx(4)  # from run_started_at, not created_at


@pytest.mark.parametrize("text,expected", [
    ("not json", "not JSON"),
    ('{"hello": 1}', "expected `gh run list"),
    ('[{"workflowName": "x"}]', "no run has creation and update times"),
])
def test_bad_history_files_are_clear_errors(text, expected):
    with pytest.raises(usage.HistoryError, match=expected):
        usage.runs_from_json(text, "h.json")


def test_usage_command_on_a_file(tmp_path, capsys):
    path = tmp_path / "runs.json"
    path.write_text(json.dumps(GH_RUNS))
    assert main(["usage", str(path)]) == 0
    out = capsys.readouterr().out
    assert "CI" in out and "Nightly" in out and "25% (1)" in out and "linux-2" in out
    assert main(["usage", str(path), "--format", "json", "--since", "2026-05-02"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 3 and {w["name"] for w in data["workflows"]} == {"CI", "Nightly"}
    assert main(["usage", str(path), "--format", "markdown", "--runner", "macos-3"]) == 0
    assert "| CI |" in capsys.readouterr().out
    assert main(["usage", str(path), "--runner", "nope"]) == 2
    assert "unknown runner" in capsys.readouterr().err
    assert main(["usage"]) == 2


# --- the REST client against a local server ---------------------------------------------

RUNS = [rest_run(i, "CI", f"2026-03-{i:02d}T08:00:00Z", f"2026-03-{i:02d}T08:03:00Z") for i in range(1, 6)]


class Handler(http.server.BaseHTTPRequestHandler):
    requests = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        Handler.requests.append((parsed.path, query, self.headers.get("Authorization")))
        owner_repo = parsed.path.split("/repos/", 1)[-1].rsplit("/actions/runs", 1)[0]
        base = f"http://{self.headers['Host']}{parsed.path}"
        if owner_repo == "octo/limited":
            return self._send(403, {"message": "API rate limit exceeded"}, [("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1780000000")])
        if owner_repo == "octo/abuse":
            return self._send(429, {"message": "secondary rate limit"}, [("retry-after", "60")])
        if owner_repo == "octo/private":
            return self._send(401, {"message": "Bad credentials"})
        if owner_repo == "octo/hop" and "page" not in query:  # next page on another host name
            other = base.replace("127.0.0.1", "localhost")
            return self._send(200, {"total_count": 2, "workflow_runs": RUNS[:1]}, [("Link", f'<{other}?page=2>; rel="next"')])
        if owner_repo == "octo/hop":
            return self._send(200, {"total_count": 2, "workflow_runs": RUNS[1:2]})
        if owner_repo != "octo/app":
            return self._send(404, {"message": "Not Found"})
        page = int(query.get("page", "1"))
        size = 2  # the server pages by 2 whatever per_page says
        chunk = RUNS[(page - 1) * size: page * size]
        last = (len(RUNS) + size - 1) // size
        links = []
        if page < last:
            links.append(f'<{base}?per_page=100&page={page + 1}>; rel="next"')
        links.append(f'<{base}?per_page=100&page={last}>; rel="last"')
        self._send(200, {"total_count": len(RUNS), "workflow_runs": chunk}, [("Link", ", ".join(links))])


@pytest.fixture()
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    Handler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api/v3"
    httpd.shutdown()
    httpd.server_close()


def test_client_follows_link_pagination(server):
    fetched = api.fetch_runs("octo/app", "t0ken", api_url=server, since=dt.date(2026, 3, 1))
    assert [r["id"] for r in fetched.runs] == [1, 2, 3, 4, 5]
    assert fetched.pages == 3 and fetched.total_count == 5 and not fetched.truncated
    path, query, auth = Handler.requests[0]
    assert path == "/api/v3/repos/octo/app/actions/runs"
    assert query == {"per_page": "100", "created": ">=2026-03-01"}
    assert all(a == "Bearer t0ken" for _, _, a in Handler.requests)


def test_client_stops_at_the_page_limit(server):
    fetched = api.fetch_runs("octo/app", None, api_url=server, max_pages=2)
    assert len(fetched.runs) == 4 and fetched.truncated
    assert Handler.requests[0][2] is None  # no token, no header


@pytest.mark.parametrize("repo,expected", [
    ("octo/limited", "rate limit exhausted (HTTP 403); it resets at 2026-05-28"),
    ("octo/abuse", "secondary rate limit hit (HTTP 429); retry after 60 seconds"),
    ("octo/missing", "repository octo/missing not found"),
    ("octo/private", "rejected the credentials (HTTP 401)"),
    ("not-a-repo", "expected OWNER/NAME"),
])
def test_client_errors_are_clear(server, repo, expected):
    with pytest.raises(api.ApiError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        api.fetch_runs(repo, "t", api_url=server)


def test_client_unreachable_host():
    with pytest.raises(api.ApiError, match="cannot reach"):
        api.fetch_runs("octo/app", None, api_url="http://127.0.0.1:9")


def test_token_is_not_sent_to_another_host(server):
    fetched = api.fetch_runs("octo/hop", "secret", api_url=server)
    assert [r["id"] for r in fetched.runs] == [1, 2]
    assert [a for _, _, a in Handler.requests] == ["Bearer secret", None]


def test_next_link_parsing():
    assert api.next_link('<https://x/a?page=2>; rel="next", <https://x/a?page=9>; rel="last"') == "https://x/a?page=2"
    assert api.next_link('<https://x/a?page=9>; rel="last"') is None
    assert api.next_link(None) is None


def test_usage_command_fetches_from_the_api(server, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "abc")
    assert main(["usage", "--repo", "octo/app", "--api-url", server, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"] == 5 and data["workflows"][0]["name"] == "CI"
    assert data["workflows"][0]["median_minutes"] == pytest.approx(3)
    assert Handler.requests[0][2] == "Bearer abc"
    assert main(["usage", "--repo", "octo/limited", "--api-url", server]) == 2
    err = capsys.readouterr().err
    assert "rate limit exhausted" in err and "Traceback" not in err
    assert main(["usage", "--repo", "octo/gone", "--api-url", server]) == 2
    assert "not found" in capsys.readouterr().err
