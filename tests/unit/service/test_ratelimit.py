"""The per-token bucket of the validation endpoints: a burst, then a steady rate, each
caller on its own."""

from __future__ import annotations

import threading

import pytest

from compliance_opa.service import ratelimit
from compliance_opa.service.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeTime:
    """Stands for the module's ``time``: only monotonic() is used."""

    def __init__(self, clock: Clock) -> None:
        self.monotonic = clock


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(ratelimit, "time", FakeTime(fake))
    return fake


def test_a_burst_then_a_wait(clock: Clock) -> None:
    limiter = RateLimiter(per_second=2.0, burst=3)
    assert [limiter.take("ci") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("ci") == pytest.approx(0.5)
    clock.now += 0.25
    assert limiter.take("ci") == pytest.approx(0.25)
    clock.now += 0.25
    assert limiter.take("ci") == 0.0
    assert limiter.take("ci") == pytest.approx(0.5)


def test_callers_do_not_share_a_bucket(clock: Clock) -> None:
    limiter = RateLimiter(per_second=1.0, burst=1)
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0
    assert limiter.take("b") == 0.0


def test_an_idle_bucket_refills_to_the_burst_and_no_further(clock: Clock) -> None:
    limiter = RateLimiter(per_second=10.0, burst=2)
    limiter.take("ci")
    limiter.take("ci")
    clock.now += 3600
    assert [limiter.take("ci") for _ in range(3)][:2] == [0.0, 0.0]
    assert limiter.take("ci") > 0


def test_refused_requests_do_not_drain_the_bucket(clock: Clock) -> None:
    limiter = RateLimiter(per_second=1.0, burst=1)
    limiter.take("ci")
    for _ in range(100):
        assert limiter.take("ci") > 0
    clock.now += 1.0
    assert limiter.take("ci") == 0.0


def test_concurrent_takes_grant_exactly_the_burst(clock: Clock) -> None:
    limiter = RateLimiter(per_second=0.001, burst=50)
    granted: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            wait = limiter.take("ci")
            with lock:
                granted.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert granted.count(0.0) == 50
    assert len(granted) == 200
