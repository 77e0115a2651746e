"""Background jobs asked for by a transaction, queued when it commits: those of one commit together.

`after_commit(task, *args)` is `transaction.on_commit(lambda: task(*args))` with one difference: the
jobs asked for under the same savepoints of one transaction are queued by one commit hook in one call
to the queue, a single round trip to Redis (an incident report asks for two: the analysts'
notification and the indicator correlation). Django discards the hooks registered under a savepoint
that rolls back; every job of a batch was asked for under the same savepoints, so a batch is kept or
discarded as a whole, as the jobs' own hooks would be. Outside a transaction the job is queued at once.

`QueueHuey` is the Redis queue of the production layout (settings.HUEY): Huey's priority queue that
takes a batch of jobs in one ZADD.
"""

from __future__ import annotations

import struct
import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from huey import PriorityRedisHuey
from huey import signals as huey_signals
from huey.api import Task
from huey.storage import PriorityRedisStorage


def after_commit(task: Any, *args: Any, using: str | None = None, **kwargs: Any) -> None:
    """Queue `task(*args, **kwargs)` once the current transaction commits (see the module's text)."""
    job = task.s(*args, **kwargs)
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if not connection.in_atomic_block:
        transaction.on_commit(lambda: queue([job]), using=using)  # at once, or refused as Django refuses
        return
    key = frozenset(connection.savepoint_ids)
    batches: dict[frozenset[str], _Batch] = connection.__dict__.setdefault("_qalxan_job_batches", {})
    batch = batches.get(key)
    if batch is None or not batch.pending(connection):
        for stale in [k for k, b in batches.items() if not b.pending(connection)]:
            del batches[stale]  # discarded with a savepoint or a transaction rolled back
        batch = batches[key] = _Batch(key, batches)
        transaction.on_commit(batch.queue, using=using)
    batch.jobs.append(job)


class _Batch:
    def __init__(self, key: frozenset[str], batches: dict[frozenset[str], _Batch]) -> None:
        self.key, self.batches = key, batches
        self.jobs: list[Task] = []

    def pending(self, connection: Any) -> bool:
        """Whether the batch's hook still waits for the commit: Django's list of the transaction's
        hooks, from which it drops those of a savepoint rolled back."""
        return any(getattr(hook, "__self__", None) is self for _ids, hook, _ in connection.run_on_commit)

    def queue(self) -> None:
        if self.batches.get(self.key) is self:
            del self.batches[self.key]
        queue(self.jobs)


def queue(jobs: list[Task]) -> None:
    """Put the jobs on the queue: in one call where the queue takes several at once."""
    from huey.contrib.djhuey import HUEY

    if len(jobs) > 1 and isinstance(HUEY, QueueHuey):
        HUEY.enqueue_many(jobs)
        return
    for job in jobs:
        HUEY.enqueue(job)


class BatchPriorityRedisStorage(PriorityRedisStorage):
    def enqueue_many(self, items: list[tuple[bytes, float | None]]) -> None:
        """Several jobs in one ZADD, each as `enqueue` stores one: the score is the negated priority and
        a timestamp in microseconds before the data keeps the order among equal priorities (here one
        microsecond apart, in the order given)."""
        now = int(time.time() * 1e6)
        self.conn.zadd(
            self.queue_key,
            {
                struct.pack(">Q", now + i) + data: 0 if priority is None else -priority
                for i, (data, priority) in enumerate(items)
            },
        )


class QueueHuey(PriorityRedisHuey):
    storage_class = BatchPriorityRedisStorage

    def enqueue_many(self, jobs: list[Task]) -> None:
        """`enqueue` for several plain jobs (no pipelines, groups or chords) with one write to Redis."""
        if self.immediate:
            for job in jobs:
                self.enqueue(job)
            return
        for job in jobs:
            if job.expires:
                job.resolve_expires(self.utc)
            self._emit(huey_signals.SIGNAL_ENQUEUED, job)
        self.storage.enqueue_many([(self.serialize_task(job), job.priority) for job in jobs])
