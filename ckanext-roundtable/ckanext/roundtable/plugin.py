"""The ``roundtable`` plugin: the open-data roundtable online.

Residents and companies ask for data (データのリクエスト), support and comment on requests, and
give typed feedback on datasets; staff answer with a status, link the dataset that fulfils a
request (from the closed stock on), moderate, and take the most-supported requests per
organization and theme to the roundtable meeting.

Loads alone (``ckan.plugins = roundtable``) and with the suite. It meets the other plugins only
through CKAN: the ``anonymize`` plugin's ``anonymize_text_preview`` action (when loaded) checks
public text for personal data; a dataset's lifecycle is read from ``package_show`` and its move
to public from ``IPackageController``, whoever opens it (the ``optout`` plugin's release or an
editor).
"""

from __future__ import annotations

import logging

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation  # documented home of the ITranslation mixin

from . import cli, helpers, model

log = logging.getLogger(__name__)


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.config_declarations
class RoundtablePlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")

    # ITemplateHelpers
    def get_helpers(self):
        return helpers.get_helpers()

    # IClick
    def get_commands(self):
        return [cli.roundtable]

    # IPackageController
    def edit(self, entity):
        """A dataset linked to requests became public: they move to 公開済 (mail queued)."""
        # tables_exist is asked each time (one catalogue query, public datasets only): a portal
        # that has not run ``ckan db upgrade -p roundtable`` yet still saves datasets.
        if entity.private or entity.state != "active" or entity.type != "dataset" or not model.tables_exist():
            return
        from .logic.action import dataset_opened

        changed = dataset_opened(entity.id)
        if changed:
            log.info("roundtable: dataset %s opened; requests answered: %s", entity.id, changed)
