"""The ``optout`` plugin: residents' opt-out registry and the stock → notice → open lifecycle.

Works alone. When the ``anonymize`` plugin (the publishing pipeline) is installed, its declared
interface :class:`IPublishingStage` receives our row-suppression stage (order 100).
"""
from __future__ import annotations

import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import helpers
from . import model as m

try:  # the only thing optout may import from anonymize: its declared interface
    from ckanext.anonymize.interfaces import IPublishingStage
except ImportError:  # anonymize not installed: optout still does everything else
    IPublishingStage = None

log = logging.getLogger(__name__)

_TABLES_READY = False


def _tables_ready() -> bool:
    """Whether ``ckan db upgrade -p optout`` has run (cached once true)."""
    global _TABLES_READY
    if not _TABLES_READY:
        _TABLES_READY = m.tables_exist()
    return _TABLES_READY


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
class OptoutPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)
    if IPublishingStage is not None:
        p.implements(IPublishingStage, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        _redact_api_request_log()

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.get_helpers()

    # IPackageController
    def create(self, entity):
        """New datasets start in the closed stock when ``stock_by_default`` is on."""
        if not tk.config.get("ckanext.optout.stock_by_default"):
            return
        entity.private = True
        m.Session.add(m.OptoutDataset(package_id=entity.id, state=m.STOCK,
                                      modified_by=_current_user()))
        m.audit(_current_user(), "dataset_stock", package_id=entity.id, via="stock_by_default")

    def edit(self, entity):
        """A dataset in stock or notice is opened only by ``optout_dataset_release``."""
        if entity.private or not _tables_ready():
            return
        row = m.Session.get(m.OptoutDataset, entity.id)
        if row is not None and row.state in (m.STOCK, m.NOTICE):
            raise tk.ValidationError({"private": [
                "このデータセットはストックまたは告知期間中のため公開できません。"
                "告知を経て「公開」操作で公開してください (a dataset in stock or notice is "
                "opened only by releasing it)"]})

    # IPublishingStage
    def publishing_stages(self):
        from .stage import SuppressionStage
        return [SuppressionStage()]


class _RedactRegistryRequests(logging.Filter):
    """CKAN's API logs every request body at DEBUG ("Request data extracted: ..."): for the
    registry's actions that would be a resident's name and date of birth. Replace it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Request data extracted"):
            try:
                from flask import has_request_context, request
                if has_request_context() and "/optout_" in request.path:
                    record.args = ("<optout request data not logged>",)
            except Exception:  # noqa: BLE001 - never let logging fail a request
                record.args = ("<request data not logged>",)
        return True


_REDACTOR = _RedactRegistryRequests()


def _redact_api_request_log() -> None:
    logger = logging.getLogger("ckan.views.api")
    if _REDACTOR not in logger.filters:
        logger.addFilter(_REDACTOR)


def _current_user() -> str:
    try:
        return tk.current_user.name or "anonymous"  # type: ignore[union-attr]
    except Exception:  # noqa: BLE001 - outside a request (CLI, jobs)
        return "system"
