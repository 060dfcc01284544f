"""The theme works with the gifu plugin alone: no links to the pages of plugins not enabled."""

import pytest

pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", "gifu"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_home_without_optout_explains_but_does_not_link_to_it(app):
    html = app.get("/").get_data(as_text=True)
    assert "市は個人の情報をこう守っています" in html
    assert "/optout/" not in html
    assert "まだ公開しているデータセットはありません。" in html  # an empty portal says so plainly


def test_japanese_is_the_declared_default_locale():
    # test.ini sets ckan.locale_default itself; the declaration is what an operator gets without it.
    from ckan.common import config_declaration
    from ckan.config.declaration import Key

    assert config_declaration[Key.from_string("ckan.locale_default")].default == "ja"
