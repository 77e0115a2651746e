"""core.jobs: the jobs of one commit are queued together, as the commit hooks of Django would queue them."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from django.db import transaction

from qalxan.core import jobs
from qalxan.core.tasks import ping

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    """The batches handed to the queue, each as the arguments of its jobs."""
    batches: list[list[Any]] = []
    monkeypatch.setattr(jobs, "queue", lambda found: batches.append([j.args for j in found]))
    return batches


def test_the_jobs_of_one_transaction_are_queued_together_after_the_commit(queued: list[list[Any]]) -> None:
    with transaction.atomic():
        jobs.after_commit(ping, "a")
        jobs.after_commit(ping, "b")
        assert queued == []
    assert queued == [[("a",), ("b",)]]


def test_outside_a_transaction_a_job_is_queued_at_once(queued: list[list[Any]]) -> None:
    jobs.after_commit(ping, "now")
    assert queued == [[("now",)]]


def test_a_rolled_back_transaction_queues_nothing_and_the_next_one_its_own(queued: list[list[Any]]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.after_commit(ping, "lost")
        raise RuntimeError
    with transaction.atomic():
        jobs.after_commit(ping, "kept")
    assert queued == [[("kept",)]]


def test_jobs_of_a_savepoint_rolled_back_are_dropped_and_the_rest_kept(queued: list[list[Any]]) -> None:
    with transaction.atomic():
        jobs.after_commit(ping, "outer")
        with pytest.raises(RuntimeError), transaction.atomic():
            jobs.after_commit(ping, "inner, lost")
            raise RuntimeError
        with transaction.atomic():
            jobs.after_commit(ping, "inner, kept")
        jobs.after_commit(ping, "outer again")
    assert sorted(queued) == sorted([[("outer",), ("outer again",)], [("inner, kept",)]])


def test_without_a_batch_queue_each_job_goes_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    from huey import MemoryHuey
    from huey.contrib import djhuey

    memory = MemoryHuey("jobs-test", immediate=False)
    memory._registry = djhuey.HUEY._registry  # the project's jobs are registered with the configured queue
    monkeypatch.setattr(djhuey, "HUEY", memory)
    with transaction.atomic():
        jobs.after_commit(ping, "x")
        jobs.after_commit(ping, "y")
    assert [memory.dequeue().args for _ in range(2)] == [("x",), ("y",)]


def test_the_redis_queue_takes_a_batch_in_one_write_and_gives_it_back_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = os.environ.get("QALXAN_REDIS_TEST_URL")
    if not url:
        pytest.skip("QALXAN_REDIS_TEST_URL is not set")
    from huey.contrib import djhuey

    queue = jobs.QueueHuey(f"qalxan-jobs-test-{uuid.uuid4().hex}", url=url, immediate=False)
    queue._registry = djhuey.HUEY._registry
    monkeypatch.setattr(djhuey, "HUEY", queue)
    writes: list[str] = []
    real = queue.storage.conn.zadd
    monkeypatch.setattr(queue.storage.conn, "zadd", lambda *a, **k: writes.append("zadd") or real(*a, **k))
    try:
        with transaction.atomic():
            for word in ("bir", "iki", "üç"):
                jobs.after_commit(ping, word)
        assert writes == ["zadd"]
        assert queue.pending_count() == 3
        taken = [queue.dequeue() for _ in range(3)]
        assert [t.args for t in taken] == [("bir",), ("iki",), ("üç",)]
        assert [queue.execute(t) for t in taken] == ["bir", "iki", "üç"]
    finally:
        queue.storage.flush_all()
