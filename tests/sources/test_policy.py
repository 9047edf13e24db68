"""The one HTTP policy both clients follow: verdicts on answers, and backoff."""

from __future__ import annotations

from pathlib import Path

import pytest

from ufc_pipeline.sources.policy import RETRY_STATUSES, backoff_delay, verdict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
JUST_A_MOMENT = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<script>window._cf_chl_opt={cType:'managed'}</script></body></html>"
)
CHECKING = (
    b"<html><head><title>Checking your browser...</title></head><body><script>"
    b'var nonce="ab12";var target=new Array(5).join("0");</script></body></html>'
)


def test_real_page_is_ok() -> None:
    body = (FIXTURES / "sherdog" / "search_charles_oliveira.html").read_bytes()
    assert verdict(200, body, {}).action == "ok"
    assert verdict(404, b"<html>not here</html>", {}).action == "ok"  # the caller decides


@pytest.mark.parametrize("status", sorted(RETRY_STATUSES))
def test_retry_statuses(status: int) -> None:
    v = verdict(status, b"", {"retry-after": "7"})
    assert (v.action, v.reason, v.retry_after, v.retryable) == (
        "retry",
        f"HTTP {status}",
        7.0,
        True,
    )


def test_block_and_challenge_pages() -> None:
    for status in (200, 403, 503):
        v = verdict(status, JUST_A_MOMENT, {})
        assert v.action == "blocked" and v.retryable and "cloudflare" in v.reason
    assert verdict(200, CHECKING, {}).action == "challenge"
    assert not verdict(200, CHECKING, {}).retryable
    # without block checks (images), a 200 is a 200
    assert verdict(200, JUST_A_MOMENT, {}, check_block=False).action == "ok"


def test_backoff_grows_and_is_capped_and_honours_retry_after() -> None:
    waits = [backoff_delay(n, 1.0, 60.0) for n in range(1, 9)]
    assert all(1.0 <= w <= 2.0 for w in waits[:1])
    assert all(2.0 ** (n - 1) <= w <= 2.0 ** (n - 1) + 1.0 for n, w in enumerate(waits[:5], 1))
    assert max(waits) <= 60.0 and waits[-1] == 60.0
    assert backoff_delay(3, 1.0, 60.0, retry_after=5.0) == 5.0
    assert backoff_delay(3, 1.0, 60.0, retry_after=600.0) == 60.0
    assert backoff_delay(3, 0.0, 0.0, retry_after=30.0) == 0.0  # delays off (local mirror)
    assert backoff_delay(3, 0.0, 0.0) == 0.0
