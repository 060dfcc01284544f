"""A dataset is not opened while one of its resources holds personal records (as the anonymize
plugin's scrub report shows) but names no subject-key columns: an opt-out could not remove anyone
from it. Without anonymize only the configured resources are known to hold personal records."""

import datetime as dt
import io

import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from ckanext.optout import model as m

PEOPLE_CSV = (
    "氏名,生年月日,受賞名\n"
    "長良 花子,1980-03-01,市民文化賞\n"
    "金華 一郎,1955-03-01,スポーツ功労賞\n"
    "鵜飼 三郎,1975-12-24,市民文化賞\n"
)
FACILITIES_CSV = (
    "施設名,所在地,電話番号\n"
    "岐阜市民会館,岐阜市美江寺町2丁目6番地,058-262-0151\n"
    "長良川国際会議場,岐阜市長良福光2695-2,058-296-1200\n"
)
DEADLINE = dt.date.today() + dt.timedelta(days=14)


def editor_context(user):
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def team():
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = factories.Dataset(owner_org=org["id"], private=True, title="市民表彰 受賞者一覧")
    helpers.call_action("optout_dataset_stock", editor_context(editor), id=dataset["id"])
    return {"editor": editor, "org": org, "dataset": dataset}


def upload(team, csv_text, name):
    return helpers.call_action(
        "resource_create",
        editor_context(team["editor"]),
        package_id=team["dataset"]["id"],
        name=name,
        upload=FileStorage(io.BytesIO(csv_text.encode()), f"{name}.csv"),
    )


def notice_that_has_run(team):
    helpers.call_action(
        "optout_dataset_notice",
        editor_context(team["editor"]),
        id=team["dataset"]["id"],
        deadline=DEADLINE.isoformat(),
    )
    model.Session.remove()
    model.Session.get(m.OptoutDataset, team["dataset"]["id"]).deadline = dt.date.today() - dt.timedelta(
        days=1
    )
    model.Session.commit()


@pytest.mark.ckan_config("ckan.plugins", "optout anonymize")
@pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index", "clean_queues", "with_test_worker")
class TestWithAnonymize:
    def test_release_refused_while_personal_records_have_no_subject_columns(self, team, cli):
        people = upload(team, PEOPLE_CSV, "受賞者")
        upload(team, FACILITIES_CSV, "会場")
        notice_that_has_run(team)
        with pytest.raises(tk.ValidationError) as info:
            helpers.call_action(
                "optout_dataset_release", editor_context(team["editor"]), id=team["dataset"]["id"]
            )
        text = str(info.value.error_dict)
        assert "受賞者" in text and "会場" not in text
        assert "個人を識別する列" in text and "subject" in text
        assert helpers.call_action("optout_dataset_show", id=team["dataset"]["id"])["state"] == "notice"

        # The daily run does not open it either, and says why.
        from ckan.cli.cli import ckan

        result = cli.invoke(ckan, ["optout", "release-due"])
        assert result.exit_code == 0, result.output
        assert "0 dataset(s) released" in result.output
        assert team["dataset"]["name"] in result.output and "not released" in result.output
        model.Session.remove()
        assert model.Package.get(team["dataset"]["id"]).private is True

        # Nor an early release by a sysadmin.
        with pytest.raises(tk.ValidationError):
            helpers.call_action(
                "optout_dataset_release",
                {"user": factories.Sysadmin()["name"], "ignore_auth": False},
                id=team["dataset"]["id"],
                early=True,
                reason="急ぎ",
            )

        helpers.call_action(
            "optout_resource_configure",
            editor_context(team["editor"]),
            resource_id=people["id"],
            subject_columns={"name": "氏名", "birth_date": "生年月日"},
        )
        state = helpers.call_action(
            "optout_dataset_release", editor_context(team["editor"]), id=team["dataset"]["id"]
        )
        assert state["state"] == "open" and state["private"] is False

    def test_names_kept_public_on_purpose_still_count_by_the_birth_dates(self, team):
        people = upload(team, PEOPLE_CSV, "受賞者")
        helpers.call_action(
            "anonymize_resource_policy_update",
            editor_context(team["editor"]),
            id=people["id"],
            columns={"氏名": "keep"},
        )
        notice_that_has_run(team)
        with pytest.raises(tk.ValidationError):
            helpers.call_action(
                "optout_dataset_release", editor_context(team["editor"]), id=team["dataset"]["id"]
            )

    def test_a_dataset_without_personal_records_is_released(self, team):
        upload(team, FACILITIES_CSV, "会場")
        notice_that_has_run(team)
        state = helpers.call_action(
            "optout_dataset_release", editor_context(team["editor"]), id=team["dataset"]["id"]
        )
        assert state["state"] == "open"


@pytest.mark.ckan_config("ckan.plugins", "optout")
@pytest.mark.usefixtures("with_plugins", "optout_db")
def test_without_anonymize_only_configured_resources_count(team):
    resource = factories.Resource(
        package_id=team["dataset"]["id"], name="名簿", url="http://example.com/closed.csv"
    )
    helpers.call_action(
        "optout_resource_configure",
        editor_context(team["editor"]),
        resource_id=resource["id"],
        subject_columns={"name": "氏名"},
    )
    factories.Resource(package_id=team["dataset"]["id"], name="別表", url="http://example.com/other.csv")
    notice_that_has_run(team)
    state = helpers.call_action(
        "optout_dataset_release", editor_context(team["editor"]), id=team["dataset"]["id"]
    )
    assert state["state"] == "open"


def test_what_counts_as_personal_records_doctests():
    import doctest

    from ckanext.optout.personal_records import holds_personal_records

    finder = doctest.DocTestFinder()
    [test] = list(finder.find(holds_personal_records, "holds_personal_records"))
    runner = doctest.DocTestRunner()
    runner.run(test)
    assert runner.failures == 0 and runner.tries >= 4
