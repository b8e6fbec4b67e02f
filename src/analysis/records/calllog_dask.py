"""The call log's daily aggregate on Dask: one task per partition validates its files and aggregates them with DuckDB.

The scheduler is the `scheduler` argument, else the DASK_SCHEDULER_ADDRESS environment variable, else a
LocalCluster started for the build. Workers of a remote scheduler must see the log at the same path.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from analysis.records import calllog, calllog_duckdb

if TYPE_CHECKING:
    from distributed import Client

LOCAL_WORKERS = 2


@contextmanager
def connect(scheduler: str | None = None) -> Iterator[Client]:
    """A client of the given scheduler, of DASK_SCHEDULER_ADDRESS, or of a LocalCluster closed afterwards."""
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        with Client(address) as client:
            yield client
        return
    with (
        LocalCluster(n_workers=LOCAL_WORKERS, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def build(log: Path, window: tuple[str, str] | None = None, scheduler: str | None = None) -> pa.Table:
    """Validate and aggregate the log one task per partition; the first bad record in partition order fails it."""
    groups = calllog.partitions(log)
    vocab = calllog.load_vocabulary(log)  # read once, here: a missing vocabulary fails before any task
    with connect(scheduler) as client:
        futures = [
            client.submit(calllog_duckdb.summarise_partition, log, files, window, vocab, pure=False) for files in groups
        ]
        try:
            return calllog_duckdb.combine_partitions(future.result() for future in futures)
        finally:
            client.cancel(futures)
