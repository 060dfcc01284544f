"""The resource uploader (IUploader): where every upload enters, whatever the path.

CKAN asks the IUploader plugins for a resource uploader whenever a resource arrives with a file
(``resource_create`` / ``resource_update``, ``package_create`` / ``package_update`` /
``package_patch`` with ``upload``, the web forms) and when it serves a download. We wrap whatever
uploader would otherwise be used (the next IUploader plugin, or CKAN's default), so:

- ``upload()`` hands the incoming bytes to the service (closed storage, never the public
  location), which withdraws the previous public file and starts the publishing pipeline;
- ``get_path()`` is the public location, which holds a file only once a derivative is published;
- the file name a resource shows (its URL) is scrubbed too: 「山田太郎_相談記録.csv」 must not
  publish a name through the metadata.
"""

from __future__ import annotations

import os
from typing import Any

from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from ckanext.anonymize import public


class GuardedResourceUpload:
    """Wraps the next resource uploader; see the module docstring."""

    def __init__(self, resource: dict[str, Any]):
        from ckanext.anonymize import service  # late: the service loads the model

        incoming = resource.get("upload")
        self.incoming: FileStorage | None = (
            incoming if isinstance(incoming, FileStorage) and incoming.filename else None
        )
        self.clearing = bool(resource.get("clear_upload")) and not self.incoming
        self.original_name = self.incoming.filename if self.incoming else None
        self.public_name: str | None = None
        if self.incoming is not None:
            # The wrapped uploader takes the resource's URL from the file name: give it the
            # scrubbed one (the original name stays with the closed original).
            self.public_name = service.public_name(self.original_name or "")
            self.incoming.filename = self.public_name
        # The wrapped uploader sets url, url_type, size and mimetype on the resource as usual.
        self.inner = public.next_uploader(resource)

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
            raise NotFound(
                "公開用のファイルはまだありません（匿名化の確認待ちなど）。 / "
                "No public file yet (e.g. waiting for the scrub review)."
            )
        return path

    def upload(self, id: str, max_size: int = 10) -> None:
        from ckanext.anonymize import service

        if self.incoming is not None:
            stream = self.incoming.stream
            stream.seek(0)
            service.accept_upload(
                id,
                stream,
                self.original_name or "upload",
                max_size * 1024 * 1024,
                public_name=self.public_name,
            )
        elif self.clearing:
            # The upload was replaced by a link: nothing of ours stays.
            service.forget(id)
            self.inner.upload(id, max_size)
