"""The public file of a resource: the only bytes of an upload that anyone but its editors gets.

Written and removed through the uploader CKAN would use without this plugin (the next IUploader
plugin, or CKAN's default), so any storage backend works. Nothing here decides *whether* a file
may be public; ``service.py`` does, and calls this module once it has.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import ckan.lib.uploader as ckan_uploader
from werkzeug.datastructures import FileStorage

log = logging.getLogger(__name__)
_local = threading.local()


def bypassed() -> bool:
    """True while we ask CKAN for the uploader we wrap (our plugin then answers None)."""
    return getattr(_local, "bypass", False)


def next_uploader(resource: dict[str, Any]) -> Any:
    """The uploader CKAN would use without this plugin (next IUploader plugin, or the default)."""
    _local.bypass = True
    try:
        return ckan_uploader.get_resource_uploader(resource)
    finally:
        _local.bypass = False


def max_resource_mb() -> int:
    return ckan_uploader.get_max_resource_size()


def write(resource_id: str, path: str, filename: str) -> None:
    """Store the file at ``path`` as the resource's public file."""
    # The upload limit is for what staff send; the derivative of an accepted upload may be larger
    # (a CP932 original grows by about half as UTF-8), and must not be refused for that.
    limit_mb = max(max_resource_mb(), os.path.getsize(path) // (1024 * 1024) + 1)
    with open(path, "rb") as stream:
        upload = next_uploader({"upload": FileStorage(stream=stream, filename=filename), "url": filename})
        upload.upload(resource_id, limit_mb)


def remove(resource_id: str) -> None:
    """Remove the resource's public file, if there is one (fail closed before any re-derivation)."""
    upload = next_uploader({"clear_upload": True, "url": ""})
    try:
        upload.upload(resource_id, max_resource_mb())
    except Exception:  # a storage that cannot find the file has nothing public either
        log.debug("no public file to remove for %s", resource_id, exc_info=True)


def exists(resource_id: str) -> bool:
    """Whether a public file is stored for the resource (local storage; other backends: True)."""
    path = next_uploader({"url": ""}).get_path(resource_id)
    return not isinstance(path, str) or os.path.exists(path)
