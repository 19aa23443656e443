"""Where evaluation work runs: in this process, in local processes, or on a Dask cluster.

An :class:`Executor` runs one module-level function over a list of picklable tasks and yields each
result with its task's index as it finishes, so callers report progress and put results back in
order. Three of them:

- :class:`SerialExecutor`: in this process, in order (``--jobs 1``);
- :class:`ProcessExecutor`: ``concurrent.futures`` worker processes on this machine. On Linux they
  are forked, so a worker starts with what the parent has loaded (the catalog, compiled rules,
  evidence) instead of receiving it through a pipe;
- :class:`DaskExecutor`: a Dask ``distributed`` cluster, for organisations that outgrow one machine
  (``pip install 'assay[dask]'``; imported only when chosen). Its workers need assay (and any plug-in
  the run uses) installed, and the evidence folders at the same paths.

Nothing here is imported by ``import assay``: ``concurrent.futures``, ``multiprocessing`` and Dask are
imported when an executor is made.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from assay.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("local", "dask")
DASK_EXTRA_HINT = "the dask executor needs Dask distributed: pip install 'assay[dask]'"


class Executor(Protocol):
    """Runs ``function`` over ``tasks``; yields ``(index, result)`` as each task finishes."""

    name: str
    workers: int

    def run(self, function: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]: ...

    def close(self) -> None: ...


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity where the system says), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether local workers can be forked: on Linux (macOS's system libraries are not fork-safe).

    multiprocessing offers "fork" wherever ``os.fork`` exists; asking it would import it on every run,
    most of which evaluate in this process."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class SerialExecutor:
    """Every task in this process, in order."""

    name = "serial"
    workers = 1

    def run(self, function: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        for index, task in enumerate(tasks):
            yield index, function(task)

    def close(self) -> None:
        return None


class ProcessExecutor:
    """Worker processes on this machine: forked on Linux, spawned elsewhere."""

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Any = None

    def _start(self, tasks: int) -> Any:
        import gc
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork" if can_fork() else "spawn")
        # Objects the parent made stay where they are: without this, the collector's first pass in
        # each forked worker writes to (and so copies) every page the parent's objects live on. The
        # garbage of the run so far is collected first, or frozen it would stay to the end of the run:
        # a pass over what is not frozen already (large evidence is, when loaded).
        gc.collect()
        gc.freeze()
        return ProcessPoolExecutor(max_workers=max(1, min(self.workers, tasks)), mp_context=context)

    def run(self, function: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        if not tasks:
            return
        if self._pool is None:
            self._pool = self._start(len(tasks))
        with warnings.catch_warnings():
            # Python 3.12+ warns when a process with threads forks (a lock held by another thread stays
            # held in the child). The workers run only assay's own evaluation, which takes no such lock;
            # the warning would otherwise be an error wherever warnings are (pytest-xdist's threads).
            warnings.filterwarnings("ignore", ".*multi-threaded.*fork", DeprecationWarning)
            futures = {self._pool.submit(function, task): index for index, task in enumerate(tasks)}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BrokenProcessPool:
            raise ConfigError(
                "a worker process ended abruptly (out of memory?): run with fewer --jobs, or --jobs 1"
            ) from None
        finally:
            for future in futures:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    """Tasks on a Dask ``distributed`` cluster: the scheduler at ``address``, else a local cluster."""

    name = "dask"

    def __init__(self, address: str | None = None, *, workers: int = 1, timeout: float = 30.0) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError(DASK_EXTRA_HINT) from None
        self._cluster: Any = None
        if address is None:
            # One process per worker, each with one thread: rules are pure Python, threads would share a GIL.
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            address = self._cluster.scheduler_address
        try:
            self._client: Any = Client(address, timeout=timeout)
        except OSError as exc:
            self._close_cluster()
            raise ConfigError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    def run(self, function: Callable[[T], R], tasks: Sequence[T]) -> Iterator[tuple[int, R]]:
        from distributed import as_completed

        if not tasks:
            return
        futures = self._client.map(function, list(tasks), pure=False)
        index = {future.key: position for position, future in enumerate(futures)}
        try:
            for future in as_completed(futures):
                yield index[future.key], future.result()
        finally:
            self._client.cancel(futures)

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def close(self) -> None:
        self._client.close()
        self._close_cluster()


def make_executor(kind: str = "local", *, jobs: int | None = None, scheduler: str | None = None) -> Executor:
    """The executor ``kind`` (``local`` or ``dask``) with ``jobs`` workers (default: this machine's cores).

    ``scheduler`` is a Dask scheduler's address (``tcp://host:8786``); without it the dask executor
    starts a cluster of ``jobs`` worker processes on this machine.
    """
    workers = jobs if jobs is not None else default_jobs()
    if workers < 1:
        raise ConfigError(f"jobs must be at least 1, not {workers}")
    if kind == "dask":
        return DaskExecutor(scheduler, workers=workers)
    if scheduler is not None:
        raise ConfigError("a scheduler address is for the dask executor: give --executor dask")
    if kind != "local":
        raise ConfigError(f"unknown executor {kind!r}: choose one of {', '.join(EXECUTORS)}")
    return SerialExecutor() if workers == 1 else ProcessExecutor(workers)
