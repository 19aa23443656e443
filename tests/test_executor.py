"""The executors: the same answers in this process, in local processes and (tests/test_org.py) on Dask."""

from __future__ import annotations

import gc
import os
import sys
import weakref

import pytest

from assay.errors import ConfigError
from assay.executor import (
    DASK_EXTRA_HINT,
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    default_jobs,
    make_executor,
)


def square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def explode(number: int) -> int:
    raise ValueError(f"task {number} is broken")


def die(number: int) -> int:
    os._exit(3)  # a worker killed mid-task, as the out-of-memory killer would


def test_serial_runs_every_task_in_order_in_this_process() -> None:
    results = list(SerialExecutor().run(square_and_pid, [3, 1, 2]))
    assert results == [(0, (9, os.getpid())), (1, (1, os.getpid())), (2, (4, os.getpid()))]


def test_processes_run_every_task_elsewhere_and_say_which_task_each_result_is() -> None:
    executor = ProcessExecutor(2)
    try:
        results = dict(executor.run(square_and_pid, list(range(7))))
    finally:
        executor.close()
    assert {index: square for index, (square, _) in results.items()} == {i: i * i for i in range(7)}
    assert os.getpid() not in {pid for _, pid in results.values()}


class _Node:
    """An object in a reference cycle: only the garbage collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_garbage_made_before_the_workers_start_is_freed_not_frozen_for_the_rest_of_the_run() -> None:
    # The parent freezes what it holds before it forks (so the workers' collections copy no pages);
    # a cycle that is garbage by then is collected first, or it would stay until the process ends.
    node = _Node()
    gone = weakref.ref(node)
    del node
    enabled = gc.isenabled()
    gc.disable()  # only an explicit collection frees the cycle
    try:
        executor = ProcessExecutor(2)
        try:
            assert dict(executor.run(square_and_pid, [2, 3]))[1][0] == 9
        finally:
            executor.close()
        assert gone() is None
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def test_a_task_that_raises_raises_in_the_caller() -> None:
    executor = ProcessExecutor(2)
    try:
        with pytest.raises(ValueError, match="task 1 is broken"):
            list(executor.run(explode, [1]))
    finally:
        executor.close()


def test_a_worker_that_dies_is_a_clear_error_not_a_hang() -> None:
    executor = ProcessExecutor(1)
    try:
        with pytest.raises(ConfigError, match="worker process ended abruptly"):
            list(executor.run(die, [1, 2]))
    finally:
        executor.close()


def test_no_tasks_start_no_workers() -> None:
    executor = ProcessExecutor(2)
    assert list(executor.run(square_and_pid, [])) == []
    executor.close()


def test_make_executor_chooses_serial_for_one_job_and_processes_for_more() -> None:
    assert isinstance(make_executor("local", jobs=1), SerialExecutor)
    many = make_executor("local", jobs=3)
    assert isinstance(many, ProcessExecutor)
    assert many.workers == 3
    assert make_executor().workers == default_jobs() >= 1


@pytest.mark.parametrize(
    ("kind", "jobs", "scheduler", "message"),
    [
        ("local", 0, None, "jobs must be at least 1, not 0"),
        ("local", -2, None, "jobs must be at least 1"),
        ("threads", 2, None, "unknown executor 'threads': choose one of local, dask"),
        ("local", 2, "tcp://127.0.0.1:8786", "a scheduler address is for the dask executor"),
    ],
)
def test_bad_executor_settings_are_refused(kind: str, jobs: int, scheduler: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make_executor(kind, jobs=jobs, scheduler=scheduler)


def test_dask_without_the_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed: import fails
    with pytest.raises(ConfigError) as raised:
        make_executor("dask", jobs=1)
    assert str(raised.value) == DASK_EXTRA_HINT
    assert "assay[dask]" in str(raised.value)


def test_an_unreachable_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as free:  # a loopback port nobody listens on
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    with pytest.raises(ConfigError, match=f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"):
        DaskExecutor(f"tcp://127.0.0.1:{port}", timeout=1)
