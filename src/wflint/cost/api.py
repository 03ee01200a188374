"""A small GitHub REST client for workflow run history (urllib only).

``GET {api}/repos/{owner}/{repo}/actions/runs?per_page=100`` page by page, following
the ``Link: <...>; rel="next"`` header, up to a page limit.  A rate limit (403 or 429
with ``x-ratelimit-remaining: 0`` or ``retry-after``), a missing repository (404) or bad
credentials (401) end the fetch with a clear ``ApiError``; the token is only ever sent
to the host of ``api_url``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

from .. import __version__

PER_PAGE = 100
TIMEOUT = 30  # seconds per request
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="([^"]+)"')


class ApiError(Exception):
    """The API refused or failed; the message says why and what to do."""


@dataclass
class Fetched:
    runs: List[dict] = field(default_factory=list)
    pages: int = 0
    total_count: Optional[int] = None
    truncated: bool = False  # stopped at the page limit with more pages left


def next_link(header: Optional[str]) -> Optional[str]:
    """The ``rel="next"`` URL of a ``Link`` header."""
    for url, rel in _LINK.findall(header or ""):
        if "next" in rel.split():
            return url
    return None


def _rate_limit_message(headers, status: int, body: str) -> Optional[str]:
    remaining = headers.get("x-ratelimit-remaining")
    retry_after = headers.get("retry-after")
    if remaining == "0":
        reset = headers.get("x-ratelimit-reset")
        when = ""
        if reset and reset.isdigit():
            at = dt.datetime.fromtimestamp(int(reset), dt.timezone.utc)
            when = f"; it resets at {at:%Y-%m-%d %H:%M:%S} UTC"
        return f"GitHub API rate limit exhausted (HTTP {status}){when}. Wait, or use a token with a higher limit (GITHUB_TOKEN)."
    if retry_after is not None or status == 429:
        wait = f" after {retry_after} seconds" if retry_after else " later"
        return f"GitHub API secondary rate limit hit (HTTP {status}); retry{wait}."
    if "rate limit" in body.lower():
        return f"GitHub API rate limit hit (HTTP {status}): {_api_message(body)}"
    return None


def _api_message(body: str) -> str:
    try:
        return str(json.loads(body).get("message", body))[:300]
    except (ValueError, AttributeError):
        return body[:300]


def _error(exc: urllib.error.HTTPError, repo: str, api_url: str) -> ApiError:
    try:
        body = exc.read().decode("utf-8", "replace")
    except Exception:
        body = ""
    status = exc.code
    if status in (403, 429):
        limited = _rate_limit_message(exc.headers, status, body)
        if limited:
            return ApiError(limited)
        return ApiError(f"GitHub API refused access to {repo} (HTTP 403): {_api_message(body)}. The token needs `actions: read`.")
    if status == 404:
        return ApiError(f"repository {repo} not found at {api_url}, or the token cannot see it (private repositories need a token with `actions: read`).")
    if status == 401:
        return ApiError(f"GitHub API rejected the credentials (HTTP 401): {_api_message(body)}. Check GITHUB_TOKEN.")
    return ApiError(f"GitHub API error for {repo} (HTTP {status}): {_api_message(body)}")


def first_url(api_url: str, repo: str, since: Optional[dt.date] = None, per_page: int = PER_PAGE) -> str:
    query: Dict[str, str] = {"per_page": str(per_page)}
    if since is not None:
        query["created"] = f">={since.isoformat()}"
    return f"{api_url.rstrip('/')}/repos/{repo}/actions/runs?{urllib.parse.urlencode(query)}"


def fetch_runs(
    repo: str,
    token: Optional[str],
    api_url: str = "https://api.github.com",
    since: Optional[dt.date] = None,
    max_pages: int = 10,
    progress: Optional[Callable[[int, int], None]] = None,
) -> Fetched:
    if not _REPO.match(repo):
        raise ApiError(f"--repo {repo}: expected OWNER/NAME")
    api_host = urllib.parse.urlsplit(api_url).netloc
    url: Optional[str] = first_url(api_url, repo, since)
    out = Fetched()
    while url:
        if out.pages >= max_pages:
            out.truncated = True
            break
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"wflint/{__version__}",
        }
        if token and urllib.parse.urlsplit(url).netloc == api_host:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(url, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                body = response.read()
                link = response.headers.get("Link")
        except urllib.error.HTTPError as exc:
            raise _error(exc, repo, api_url) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ApiError(f"cannot reach {api_url}: {reason}") from None
        try:
            page = json.loads(body.decode("utf-8"))
            runs = page["workflow_runs"]
        except (ValueError, KeyError, TypeError):
            raise ApiError(f"{url}: the response is not a page of workflow runs") from None
        out.pages += 1
        out.total_count = page.get("total_count", out.total_count)
        out.runs.extend(runs)
        if progress:
            progress(out.pages, len(out.runs))
        url = next_link(link)
    return out
