"""The ``anonymize`` plugin: PII scrubbing of uploads; only the scrubbed derivative is published.

Every uploaded file goes to closed storage (IUploader wraps the uploader CKAN would use); the
publishing pipeline derives a scrubbed copy (stages from IPublishingStage plugins, then the PII
scrub); an editor approves it (or auto mode publishes it) and only then does the resource have a
public file. See ``service.py`` for the states and ``interfaces.py`` for the stage interface.
"""

from __future__ import annotations

import contextlib
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.anonymize import helpers, public, uploader

try:  # XLoader is optional; when it is installed, it asks us before loading a resource.
    from ckanext.xloader.interfaces import IXloader
except ImportError:
    IXloader = None


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
class AnonymizePlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IUploader, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IForkObserver)
    if IXloader is not None:
        p.implements(IXloader, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")

    # IConfigurable
    def configure(self, config):
        _check_uploader_order()
        from ckanext.anonymize import queue

        # The sweep reschedules itself; this starts the chain (or finds it running). No Redis
        # yet: the next derivation or sweep starts it.
        with contextlib.suppress(Exception):
            queue.schedule_sweep()

    # IUploader
    def get_resource_uploader(self, data_dict: dict[str, Any]):
        if public.bypassed():
            return None
        return uploader.GuardedResourceUpload(data_dict)

    def get_uploader(self, upload_to, old_filename=None):
        return None  # logos and avatars are public by nature: CKAN's own uploader

    # IResourceController
    def after_resource_delete(self, context, resources):
        from ckanext.anonymize import service

        live = {r["id"] for r in resources}
        deleted = context.get("anonymize_deleted_ids") or []
        for resource_id in deleted:
            if resource_id not in live:
                service.forget(resource_id)

    def before_resource_delete(self, context, resource, resources):
        context["anonymize_deleted_ids"] = [resource["id"]]

    # IForkObserver
    def before_fork(self):
        """``ckan jobs worker`` forks a work horse per job: load the PII engine and GiNZA once in
        the worker, so that every horse inherits them instead of loading them again."""
        from ckanext.anonymize import service

        service.warm_up()

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.get_helpers()

    # IXloader
    def can_upload(self, resource_id: str) -> bool:
        """XLoader submits every new or changed resource; an upload we hold has no public file
        until its derivative is published (publication submits it then), so XLoader would only
        fetch a 404 and show staff a failed load."""
        from ckanext.anonymize.model import PUBLISHED, ResourceState

        state = ResourceState.get(resource_id)
        return state is None or state.status == PUBLISHED


def _check_uploader_order() -> None:
    """CKAN takes the first IUploader plugin that answers: one listed before anonymize in
    ckan.plugins would store uploads unscrubbed and serve them. Refuse to start (fail closed)."""
    names = [type(plugin).__name__ for plugin in p.PluginImplementations(p.IUploader)]
    if names and names[0] != AnonymizePlugin.__name__:
        raise RuntimeError(
            "ckanext-anonymize: ckan.plugins に anonymize より前に別のアップローダ（IUploader）"
            f"プラグイン {names[0]} があります。未処理のファイルが公開されるため起動しません。anonymize を"
            f"先に並べてください。 / Another IUploader plugin ({names[0]}) is listed before anonymize in "
            "ckan.plugins: uploads would be stored and served unscrubbed, so CKAN does not start. "
            "List anonymize before it (anonymize passes every file on to it)."
        )
