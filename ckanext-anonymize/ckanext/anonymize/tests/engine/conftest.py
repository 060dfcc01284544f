"""Fixtures of the engine's unit tests: pure code, no CKAN, DB or Solr; GiNZA loaded once."""

from __future__ import annotations

import pytest

from ckanext.anonymize.engine import Engine, EngineConfig


@pytest.fixture(scope="session")
def engine() -> Engine:
    """One engine (one GiNZA load) for the whole session; hash secret fixed for stable tests."""
    return Engine(EngineConfig.from_dict({"hash_secret": "test-secret", "k_threshold": 2}))


@pytest.fixture
def write(tmp_path):
    """Write bytes or text (in an encoding) to a file in tmp_path and return its path."""

    def _write(name: str, data, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return str(path)

    return _write
