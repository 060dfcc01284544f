"""Pages of the theme: the accessibility statement (ウェブアクセシビリティ方針)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint

theme = Blueprint("gifu_theme", __name__)


def accessibility():
    return tk.render("gifu/accessibility.html")


theme.add_url_rule("/accessibility", view_func=accessibility, endpoint="accessibility")


def get_blueprints() -> list[Blueprint]:
    return [theme]
