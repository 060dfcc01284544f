"""Closed storage: the uploaded originals and the not-yet-published derivatives.

Files live under ``ckanext.anonymize.closed_storage_path`` (default: ``<ckan.storage_path>/
anonymize-closed``), a folder no CKAN route serves: public files are only ever written through
the resource uploader, after an editor (or auto mode) published the derivative. Layout::

    <root>/<resource id>/original        the bytes as uploaded
    <root>/<resource id>/derivative      the scrubbed file of the current generation
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from typing import IO

import ckan.plugins.toolkit as tk

CHUNK = 1024 * 1024


class TooLarge(Exception):
    pass


def root() -> str:
    path = tk.config.get("ckanext.anonymize.closed_storage_path")
    if not path:
        base = tk.config.get("ckan.storage_path")
        if not base:
            raise tk.ValidationError(
                {
                    "upload": [
                        "閉じた保存先が設定されていません / no closed storage configured "
                        "(ckanext.anonymize.closed_storage_path or ckan.storage_path)"
                    ]
                }
            )
        path = os.path.join(base, "anonymize-closed")
    return path


def _folder(resource_id: str) -> str:
    # Resource ids are UUIDs; refuse anything that could walk out of the folder.
    if not resource_id or os.sep in resource_id or resource_id.startswith("."):
        raise ValueError(f"bad resource id {resource_id!r}")
    return os.path.join(root(), resource_id)


def original_path(resource_id: str) -> str:
    return os.path.join(_folder(resource_id), "original")


def derivative_path(resource_id: str) -> str:
    return os.path.join(_folder(resource_id), "derivative")


def receive_original(resource_id: str, stream: IO[bytes], max_bytes: int) -> tuple[str, int, str]:
    """Copy an upload stream into closed storage, beside the current original. Returns (temporary
    path, size, sha256); :func:`commit_original` makes it the original.

    Raises TooLarge when the stream exceeds max_bytes: nothing is kept, nothing else changes.
    """
    folder = _folder(resource_id)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(size)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return tmp, size, digest.hexdigest()


def commit_original(resource_id: str, tmp: str) -> None:
    os.replace(tmp, original_path(resource_id))


def has_original(resource_id: str) -> bool:
    return os.path.exists(original_path(resource_id))


def cache_path(resource_id: str) -> str:
    """The scrubbed cache (every row scrubbed, not yet filtered) and its meta file beside it."""
    return os.path.join(_folder(resource_id), "scrubbed.jsonl")


def has_cache(resource_id: str) -> bool:
    path = cache_path(resource_id)
    return os.path.exists(path) and os.path.exists(path + ".meta.json")


def new_cache_tmp(resource_id: str) -> str:
    folder = _folder(resource_id)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".scrubbed-")
    os.close(fd)
    return tmp


def commit_cache(resource_id: str, tmp: str) -> None:
    os.replace(tmp + ".meta.json", cache_path(resource_id) + ".meta.json")
    os.replace(tmp, cache_path(resource_id))


def discard_cache(tmp: str | None) -> None:
    for path in (tmp, tmp + ".meta.json") if tmp else ():
        if os.path.exists(path):
            os.unlink(path)


def new_derivative_tmp(resource_id: str) -> str:
    folder = _folder(resource_id)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".derivative-")
    os.close(fd)
    return tmp


def commit_derivative(resource_id: str, tmp: str) -> None:
    os.replace(tmp, derivative_path(resource_id))


def discard(path: str | None) -> None:
    if path and os.path.exists(path):
        os.unlink(path)


def remove_all(resource_id: str) -> None:
    shutil.rmtree(_folder(resource_id), ignore_errors=True)
