"""The issue's "Done when" in a browser (headless Chromium, real services): staff upload a CP932
AED export through the form, read the conformance report on the resource page, press 「標準形式に
正規化して公開し直す」, approve the scrubbed normalised copy, and an anonymous visitor downloads a
conformant UTF-8 file; the staff dashboard then shows the AED list as published and conforming.
axe-core checks the report and the dashboard (no serious or critical violations)."""

from __future__ import annotations

import codecs
import urllib.request

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from ckanext.gifu import standards
from ckanext.gifu.tests.test_browser_theme import AXE_TAGS, BLOCKING, run_axe
from ckanext.gifu.tests.test_metadata import municipal
from ckanext.gifu.tests.test_normalise import AED_OFFICE_EXPORT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets dcat anonymize"),
    pytest.mark.ckan_config("ckanext.anonymize.mode", "review"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

PASSWORD = "Gifu-Staff-Pass-2026"


def blocking(driver, selector: str) -> list:
    """Serious and critical axe-core violations inside ``selector`` (what these pages add; the
    logged-in header is CKAN's, outside this test's scope)."""
    run_axe(driver)  # injects axe-core from node_modules
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document.querySelector(arguments[0]), {runOnly: {type: 'tag', values: arguments[1]},"
        "  resultTypes: ['violations']})"
        "  .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        "    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))}))"
        "  .catch(e => done({error: String(e)}));",
        selector,
        AXE_TAGS,
    )
    assert "error" not in result, result
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def click(browser, element) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", element)
    browser.execute_script("arguments[0].click();", element)


def test_report_normalise_review_and_download_in_the_browser(
    migrate_db_for, live_server, browser, screenshot, tmp_path
):
    migrate_db_for("anonymize")
    editor = factories.User(password=PASSWORD)
    org = factories.Organization(name="gifu-city", users=[{"name": editor["name"], "capacity": "editor"}])
    fields = {
        k: v for k, v in municipal(org["id"], conforms_to="AED設置箇所一覧").items() if k != "license_id"
    }
    dataset = call_action("package_create", context={"user": editor["name"]}, **fields)
    export = tmp_path / "AED一覧.csv"
    export.write_bytes(AED_OFFICE_EXPORT)
    wait = WebDriverWait(browser, 60)

    browser.get(f"{live_server}/user/login")
    browser.find_element(By.ID, "field-login").send_keys(editor["name"])
    browser.find_element(By.ID, "field-password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary").click()
    wait.until(lambda d: "/user/login" not in d.current_url)

    browser.get(f"{live_server}/dataset/{dataset['name']}/resource/new")
    file_input = browser.find_element(By.CSS_SELECTOR, "input[type=file][name=upload]")
    browser.execute_script("arguments[0].style.display='block'; arguments[0].hidden=false;", file_input)
    file_input.send_keys(str(export))
    name = browser.find_element(By.ID, "field-name")
    name.clear()
    name.send_keys("AED設置箇所一覧 CSV")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button.btn-primary[name=save]"))
    wait.until(lambda d: "/resource/new" not in d.current_url)

    resource = call_action("package_show", id=dataset["id"])["resources"][0]
    page = f"{live_server}/dataset/{dataset['name']}/resource/{resource['id']}"
    browser.get(page)
    section = wait.until(EC.presence_of_element_located((By.ID, "gifu-conformance")))
    text = section.text
    assert "不適合" in text and "施設名 → 名称" in text and "所在地 → 住所" in text and "Shift_JIS" in text
    screenshot(browser, "1-report")
    assert blocking(browser, "#gifu-conformance") == []

    click(browser, section.find_element(By.XPATH, ".//button[contains(., '標準形式に正規化して公開し直す')]"))
    wait.until(lambda d: "確認・承認の後に公開されます" in d.find_element(By.TAG_NAME, "body").text)
    assert "標準形式に正規化して公開しています" in browser.find_element(By.ID, "gifu-conformance").text
    screenshot(browser, "2-normalised-waiting-for-review")

    browser.get(f"{live_server}/dataset/{dataset['name']}/resource/{resource['id']}/anonymize")
    wait.until(EC.presence_of_element_located((By.ID, "anonymize-report")))
    click(browser, browser.find_element(By.XPATH, "//button[contains(., '匿名化済みファイルを公開')]"))
    wait.until(lambda d: "公開済" in d.find_element(By.TAG_NAME, "body").text)

    # An anonymous visitor downloads the public file: the standard form, scrubbed.
    url = call_action("resource_show", id=resource["id"])["url"].split("/dataset/", 1)[1]
    with urllib.request.urlopen(f"{live_server}/dataset/{url}") as response:
        body = response.read()
    assert body.startswith(codecs.BOM_UTF8)
    assert standards.check(body, standards.load("aed")).conforms
    assert "090-1234-5678" not in body.decode("utf-8-sig")
    assert "2018-04-01" in body.decode("utf-8-sig") and "平成30年" not in body.decode("utf-8-sig")

    browser.get(f"{live_server}/gifu/standards")
    row = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "tr[data-spec=aed]")))
    assert "公開済・適合" in row.text and "正規化して公開" in row.text
    screenshot(browser, "3-dashboard")
    assert blocking(browser, ".gifu-standards") == []
