"""Ids are unique across processes, sort by creation time and carry their shard."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection

from glimpse.core import ids

PROCESSES = 4
IDS_PER_PROCESS = 5_000  # enough to overlap; small enough for a busy machine

WORKER = textwrap.dedent(
    """
    import os, sys, time
    import django
    django.setup()
    from glimpse.core.ids import next_id
    next_id(shard=7)  # open the sequence store before the race starts
    print("ready", flush=True)
    sys.stdin.readline()  # all processes start generating when the test says go
    made = [next_id(shard=7) for _ in range(int(sys.argv[1]))]
    sys.stdout.write("\\n".join(map(str, made)))
    """
)


def _worker_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["GLIMPSE_DATA_DIR"] = str(tmp_path)
    env.pop("PYTEST_XDIST_WORKER", None)
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
        )
    return env


@pytest.mark.django_db(transaction=True)
def test_ids_from_several_processes_at_once_are_unique_and_ordered(tmp_path: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(IDS_PER_PROCESS)],
            env=_worker_env(tmp_path),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]
    for output in outputs:
        assert output.count("\n") == IDS_PER_PROCESS - 1
    assert all(worker.returncode == 0 for worker in workers)
    per_process = [[int(line) for line in out.split()] for out in outputs]
    every_id = [i for made in per_process for i in made]
    assert len(every_id) == PROCESSES * IDS_PER_PROCESS
    # All on the same shard, in the same few milliseconds: still no duplicate.
    assert len(set(every_id)) == len(every_id)
    for made in per_process:
        assert made == sorted(made)
    # The processes really overlapped in time.
    spans = [(ids.created_at(m[0]), ids.created_at(m[-1])) for m in per_process]
    assert max(s for s, _ in spans) < min(e for _, e in spans)


@pytest.mark.django_db
def test_ids_sort_by_creation_time() -> None:
    first = ids.next_id()
    time.sleep(0.002)
    second = ids.next_id()
    time.sleep(0.002)
    third = ids.next_id()
    assert first < second < third
    assert ids.created_at(first) <= ids.created_at(second) <= ids.created_at(third)


@pytest.mark.django_db
def test_id_layout_carries_time_and_shard() -> None:
    before = datetime.now(UTC) - timedelta(milliseconds=2)
    made = ids.next_id(shard=5000)
    after = datetime.now(UTC) + timedelta(milliseconds=2)
    assert ids.shard_of(made) == 5000
    assert before <= ids.created_at(made) <= after
    assert 0 < made < 2**63  # fits a signed 64-bit column
    assert ids.lowest_id_at(ids.created_at(made)) <= made


@pytest.mark.django_db
def test_shard_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="shard"):
        ids.next_id(shard=ids.SHARD_COUNT)
