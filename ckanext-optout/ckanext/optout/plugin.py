"""The ``optout`` plugin: residents' opt-out registry and the stock → notice → open lifecycle.

Works alone. When the ``anonymize`` plugin (the publishing pipeline) is installed, its declared
interface :class:`IPublishingStage` receives our row-suppression filter (see ``stage.py``).
"""

from __future__ import annotations

import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import helpers, lifecycle, model, ratelimit

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
        _TABLES_READY = model.tables_exist()
    return _TABLES_READY


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
class OptoutPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IPackageController, inherit=True)
    if IPublishingStage is not None:
        p.implements(IPublishingStage, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        _redact_api_request_log()

    # IConfigurable
    def configure(self, config):
        # A wrong proxy address would count every resident as one client (or trust a spoofed
        # header): refuse to start rather than guess.
        ratelimit.parse_networks(config.get("ckanext.optout.rate_limit.trusted_proxies"))

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.get_helpers()

    # IPackageController
    def create(self, entity):
        """New datasets start in the closed stock when ``stock_by_default`` is on, not listed
        publicly until staff choose to (``optout_dataset_stock`` with ``listed``). Only packages
        of type ``dataset``: other types (gifu's 活用事例 ``use``) describe something published
        elsewhere, not a register the city holds, and stay as created."""
        if not tk.config.get("ckanext.optout.stock_by_default") or (entity.type or "dataset") != "dataset":
            return
        stock = lifecycle.TRANSITIONS["stock"]
        entity.private = lifecycle.STATES[stock.target].private
        model.Session.add(
            model.OptoutDataset(
                package_id=entity.id, state=stock.target, listed=False, modified_by=_current_user()
            )
        )
        model.audit(_current_user(), stock.audit, package_id=entity.id, via="stock_by_default", listed=False)

    def edit(self, entity):
        """A dataset in stock or notice is opened only by ``optout_dataset_release`` (the
        lifecycle table's transition to a public state), never by editing it."""
        if entity.private or not _tables_ready():
            return
        row = model.Session.get(model.OptoutDataset, entity.id)
        refusal = lifecycle.edit_refusal(row.state if row else None, private=bool(entity.private))
        if refusal is not None:
            raise tk.ValidationError({refusal.field: [refusal.message]})

    # IPublishingStage
    def publishing_stages(self):
        from .stage import SuppressionFilter

        return [SuppressionFilter()]


class _RedactRegistryRequests(logging.Filter):
    """Nothing of an optout API request's body reaches the log, at any level.

    CKAN's action API logs request data in several places: every body at DEBUG ("Request data
    extracted: ..."), a body that is not an object at INFO ("Bad Action API request data:
    Request data JSON decoded to [...]"), a DataError with the body, a ValidationError's messages
    (which may quote what was sent), and the exception of a 500. For the registry's actions that
    is a resident's name and date of birth. For a request to an ``optout_*`` action every record
    of ``ckan.views.api`` keeps its level and the fixed part of its message, and loses its
    arguments; a traceback keeps its frames and loses the exception's message.
    """

    WITHHELD = "<optout request data withheld>"

    @staticmethod
    def _optout_request() -> bool:
        from flask import has_request_context, request

        if not has_request_context():
            return False
        name = (request.view_args or {}).get("logic_function") or ""
        return name.startswith("optout_") or "/optout_" in request.path

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            optout = self._optout_request()
        except Exception:  # noqa: BLE001 - never let logging fail a request
            optout = True
        if optout:
            self.redact(record)
        return True

    @classmethod
    def redact(cls, record: logging.LogRecord) -> None:
        template = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
        head = template.split("%", 1)[0].rstrip(" :")
        record.msg, record.args = "%s: %s", (head or "optout API", cls.WITHHELD)
        if record.exc_info and record.exc_info[0] is not None:
            import traceback

            kind, _, tb = record.exc_info
            record.exc_text = (
                "Traceback (most recent call last):\n"
                + "".join(traceback.format_tb(tb))
                + f"{kind.__module__}.{kind.__qualname__}: {cls.WITHHELD}"
            )
            record.exc_info = None


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
