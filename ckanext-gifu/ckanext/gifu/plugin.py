"""The ``gifu`` plugin: Gifu City's Japanese-first theme, Japanese search and municipal metadata.

Portal plugin list: ``ckan.plugins = gifu scheming_datasets dcat ...`` (gifu first: it sets the
defaults of dcat's options, which it can only do for plugins listed after it).
"""

from __future__ import annotations

import functools
import os
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import yaml
from ckan.lib.plugins import DefaultTranslation  # documented home of the ITranslation mixin

from ckanext.gifu import cli, search, uses
from ckanext.gifu.theme import helpers as theme_helpers
from ckanext.gifu.theme import views as theme_views

try:  # the one thing gifu may import from anonymize: its declared interface (gifu loads alone)
    from ckanext.anonymize.interfaces import IPublishingStage
except ImportError:  # anonymize not installed: no normalised derivatives, everything else works
    IPublishingStage = None

HERE = os.path.dirname(os.path.abspath(__file__))

# Defaults gifu gives to options of CKAN core and of the plugins it works with. They are declared
# defaults, so CKAN applies them before any plugin reads its configuration, and an operator's own
# value in ckan.ini always wins.
DEFAULTS = {
    # Japanese first: the portal speaks Japanese unless the operator chooses otherwise.
    "ckan.locale_default": "ja",
    # Datasets, and 活用事例 (uses of data, type ``use``: uses.py).
    "scheming.dataset_schemas": "ckanext.gifu:schemas/dataset.yaml ckanext.gifu:schemas/use.yaml",
    # /dataset/ lists datasets only (CKAN 2.12's default, "dataset", lists every type there,
    # 活用事例 included; each type has its own search page, /use/ for uses).
    "ckan.search.show_all_types": "false",
    # A local file: the portal never fetches its licence list at run time.
    "licenses_group_url": "file://" + os.path.join(HERE, "licenses.json"),
    "ckanext.dcat.rdf.profiles": "euro_dcat_ap_3 gifu_dcat_ap_jp",
}
# Options their plugin does not declare (ckanext-scheming 3.1): gifu declares them itself.
UNDECLARED_ELSEWHERE = {"scheming.dataset_schemas"}


class GifuPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigDeclaration)
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IBlueprint)
    p.implements(p.IValidators)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IResourceController, inherit=True)
    if IPublishingStage is not None:
        p.implements(IPublishingStage, inherit=True)

    # IConfigDeclaration
    def declare_config_options(self, declaration, key):
        with open(os.path.join(HERE, "config_declaration.yaml"), encoding="utf-8") as f:
            declaration.load_dict(yaml.safe_load(f))
        for name, value in DEFAULTS.items():
            option_key = functools.reduce(getattr, name.split("."), key)
            if option_key in declaration:
                declaration[option_key].set_default(value)
            elif name in UNDECLARED_ELSEWHERE:
                declaration.declare(option_key, value)
            # else: its plugin is not loaded, or listed before gifu and not declared yet.

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        # `ckan generate config` writes `licenses_group_url =` (empty), which hides the declared
        # default: empty means "not chosen", so the local list applies (CKAN reads it lazily).
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = DEFAULTS["licenses_group_url"]
        # The theme: the 市章 and other static files, and the CSS built from the design tokens
        # (assets/webassets.yml).
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "gifu")

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return uses.index_used_datasets(search.add_titles_for_search(pkg_dict))

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        if tk.config.get("ckanext.gifu.search.tune_query"):
            search.tune_search_params(search_params)
        return uses.exclude_where_showcases_are(search_params)

    # IValidators
    def get_validators(self):
        from ckanext.gifu.logic import validators

        return validators.get_validators() | uses.get_validators()

    # IClick
    def get_commands(self):
        return [cli.gifu]

    # ITemplateHelpers
    def get_helpers(self):
        return theme_helpers.get_helpers() | uses.get_helpers()

    # IBlueprint
    def get_blueprint(self):
        from ckanext.gifu import views

        return theme_views.get_blueprints() + views.get_blueprints()

    # IActions
    def get_actions(self):
        from .logic.action import gifu_tags_fold, package_search
        from .logic.catalogue import gifu_standards_catalogue
        from .logic.conformance import gifu_conformance_normalise, gifu_conformance_show

        return {
            "package_search": package_search,
            "gifu_standards_catalogue": gifu_standards_catalogue,
            "gifu_conformance_show": gifu_conformance_show,
            "gifu_conformance_normalise": gifu_conformance_normalise,
            "gifu_tags_fold": gifu_tags_fold,
        }

    # IAuthFunctions
    def get_auth_functions(self):
        from .logic.action import gifu_tags_fold_auth
        from .logic.catalogue import gifu_standards_catalogue_auth, gifu_standards_dashboard_auth
        from .logic.conformance import gifu_conformance_normalise_auth, gifu_conformance_show_auth

        return {
            "gifu_standards_catalogue": gifu_standards_catalogue_auth,
            "gifu_standards_dashboard": gifu_standards_dashboard_auth,
            "gifu_conformance_show": gifu_conformance_show_auth,
            "gifu_conformance_normalise": gifu_conformance_normalise_auth,
            "gifu_tags_fold": gifu_tags_fold_auth,
        }

    # IResourceController
    def before_resource_update(self, context, current, resource):
        """Staff's request to normalise stays with the resource when it is edited or a new file is
        uploaded through a form that does not carry it (CKAN does the same for
        ``datastore_active``); ``gifu_conformance_normalise`` with ``enable=false`` ends it."""
        from .logic.conformance import NORMALISE_FLAG

        if current.get(NORMALISE_FLAG) and NORMALISE_FLAG not in resource:
            resource[NORMALISE_FLAG] = current[NORMALISE_FLAG]

    # IPublishingStage
    def publishing_stages(self):
        from .stage import stages

        return stages()
