"""The resource uploader that keeps every upload closed until its derivative is published.

CKAN asks IUploader plugins for a resource uploader on every path that stores a file
(``resource_create``, ``resource_update``, ``package_create`` / ``package_update`` /
``package_patch`` with ``upload``, the web forms) and when it serves a download. We wrap whatever
uploader would otherwise be used (the next IUploader plugin, or CKAN's default), so:

- ``upload()`` puts the incoming bytes into closed storage (never the public location), removes
  any previously published file, and starts the publishing pipeline;
- ``get_path()`` is the public location, which holds a file only once a derivative is published;
- publishing writes the derivative through the wrapped uploader, so any storage backend works.
"""
from __future__ import annotations

import logging
import os
import threading
from typing import Any, Optional

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

import ckan.lib.uploader as ckan_uploader
import ckan.plugins.toolkit as tk

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


def max_resource_bytes() -> int:
    return ckan_uploader.get_max_resource_size() * 1024 * 1024


def write_public(resource_id: str, path: str, filename: str) -> None:
    """Store the file at ``path`` as the resource's public file, through the wrapped uploader."""
    # The upload limit is for what staff send; the derivative of an accepted upload may be larger
    # (a CP932 original grows by about half as UTF-8), and must not be refused for that.
    limit_mb = max(ckan_uploader.get_max_resource_size(), os.path.getsize(path) // (1024 * 1024) + 1)
    with open(path, "rb") as stream:
        upload = next_uploader({"upload": FileStorage(stream=stream, filename=filename),
                                "url": filename})
        upload.upload(resource_id, limit_mb)


def remove_public(resource_id: str) -> None:
    """Remove the resource's public file, if there is one (fail closed before any re-derivation)."""
    upload = next_uploader({"clear_upload": True, "url": ""})
    try:
        upload.upload(resource_id, ckan_uploader.get_max_resource_size())
    except Exception:  # a storage that cannot find the file has nothing public either
        log.debug("no public file to remove for %s", resource_id, exc_info=True)


class GuardedResourceUpload:
    """Wraps the next resource uploader; see the module docstring."""

    def __init__(self, resource: dict[str, Any]):
        incoming = resource.get("upload")
        self.incoming: Optional[FileStorage] = (
            incoming if isinstance(incoming, FileStorage) and incoming.filename else None)
        self.clearing = bool(resource.get("clear_upload")) and not self.incoming
        self.original_name = self.incoming.filename if self.incoming else None
        # The wrapped uploader sets url, url_type, size and mimetype on the resource as usual.
        self.inner = next_uploader(resource)

    def __getattr__(self, name: str) -> Any:
        # filesize, mimetype, filename, storage...: as the wrapped uploader says.
        return getattr(self.inner, name)

    def get_directory(self, id: str) -> Any:
        return self.inner.get_directory(id)

    def get_path(self, id: str) -> Any:
        path = self.inner.get_path(id)
        # CKAN's download view sends a local path without checking it: until a derivative is
        # published there is no file, and the answer must be 404, not a server error.
        if isinstance(path, str) and not os.path.exists(path):
            raise NotFound("公開用のファイルはまだありません（匿名化の確認待ちなど）。 / "
                           "No public file yet (e.g. waiting for the scrub review).")
        return path

    def upload(self, id: str, max_size: int = 10) -> None:
        from ckanext.anonymize import service  # late: service imports the model

        if self.incoming is not None:
            stream = self.incoming.stream
            stream.seek(0)
            service.accept_upload(id, stream, self.original_name or "upload", max_size * 1024 * 1024)
        elif self.clearing:
            # The upload was replaced by a link: nothing of ours stays.
            service.forget(id)
            self.inner.upload(id, max_size)


def reject(message_ja: str, message_en: str) -> None:
    raise tk.ValidationError({"upload": [f"{message_ja} / {message_en}"]})
