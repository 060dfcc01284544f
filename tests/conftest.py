"""Shared fixtures of the cross-plugin tests."""
from __future__ import annotations

import gc

import pytest


@pytest.fixture
def run_jobs():
    """run_jobs(): run the queued background jobs to the end, one at a time, in this process
    (what the portal's jobs worker does between two page views).

    Between jobs the garbage collector runs: XLoader 2.6.0 leaves a write connection open with
    an uncommitted ALTER TABLE (loader.py, create_column_indexes: engine.connect() never closed).
    Production's forking worker ends it with the job's process; in this process only its
    collection does, and until then the table's lock blocks any later DataStore delete.
    """
    import ckan.lib.jobs as jobs

    def run() -> None:
        while jobs.Worker().work(burst=True, max_jobs=1):
            gc.collect()

    return run
