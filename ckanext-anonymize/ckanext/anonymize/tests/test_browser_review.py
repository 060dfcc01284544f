"""A staff member uploads a CP932 CSV in the browser, sees the findings in Japanese, approves, and
an anonymous visitor downloads the scrubbed file (headless Chromium, real services)."""

from __future__ import annotations

import urllib.request

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import PERSONAL_VALUES, RESIDENTS_CSV

pytestmark = [
    pytest.mark.browser,
    pytest.mark.ckan_config("ckan.plugins", "anonymize"),
    pytest.mark.usefixtures("with_plugins"),
]

PASSWORD = "Gifu-Staff-Pass-2026"


def test_staff_review_flow_in_the_browser(anonymize_db, live_server, browser, screenshot, tmp_path):
    editor = factories.User(password=PASSWORD)
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = factories.Dataset(owner_org=org["id"], title="表彰者一覧")
    csv_path = tmp_path / "表彰者.csv"
    csv_path.write_bytes(RESIDENTS_CSV.encode("cp932"))
    wait = WebDriverWait(browser, 60)

    browser.get(f"{live_server}/user/login")
    browser.find_element(By.ID, "field-login").send_keys(editor["name"])
    browser.find_element(By.ID, "field-password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary").click()
    wait.until(lambda d: "/user/login" not in d.current_url)

    browser.get(f"{live_server}/dataset/{dataset['name']}/resource/new")
    file_input = browser.find_element(By.CSS_SELECTOR, "input[type=file][name=upload]")
    browser.execute_script("arguments[0].style.display='block'; arguments[0].hidden=false;", file_input)
    file_input.send_keys(str(csv_path))
    name = browser.find_element(By.ID, "field-name")
    name.clear()
    name.send_keys("表彰者一覧 CSV")
    screenshot(browser, "1-upload-form")
    browser.find_element(By.CSS_SELECTOR, "button.btn-primary[name=save]").click()
    wait.until(lambda d: "/resource/new" not in d.current_url)

    resource = call_action("package_show", id=dataset["id"])["resources"][0]
    browser.get(f"{live_server}/dataset/{dataset['name']}/resource/{resource['id']}")
    link = wait.until(EC.element_to_be_clickable((By.PARTIAL_LINK_TEXT, "匿名化: 要確認")))
    link.click()
    wait.until(EC.presence_of_element_located((By.ID, "anonymize-report")))
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "要確認" in page and "検出結果" in page and "cp932" in page
    assert "氏名" in page  # the column decisions list the personal columns
    for value in PERSONAL_VALUES:
        assert value not in page  # findings are shown masked, never raw
    screenshot(browser, "2-findings")

    publish = browser.find_element(By.XPATH, "//button[contains(., '匿名化済みファイルを公開')]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus();", publish)
    screenshot(browser, "3-publish-button")
    browser.execute_script("arguments[0].click();", publish)
    wait.until(lambda d: "公開済" in d.find_element(By.TAG_NAME, "body").text)
    screenshot(browser, "4-published")

    # An anonymous visitor (no cookies) downloads the public file: only the scrubbed derivative.
    url = f"{live_server}/dataset/{dataset['id']}/resource/{resource['id']}/download/{resource['url'].rsplit('/', 1)[-1]}"
    with urllib.request.urlopen(url) as response:
        body = response.read().decode("utf-8")
    for value in PERSONAL_VALUES:
        assert value not in body
    assert "市民文化賞" in body
    browser.delete_all_cookies()
    browser.get(f"{live_server}/dataset/{dataset['name']}/resource/{resource['id']}")
    screenshot(browser, "5-anonymous-resource-page")
    assert "匿名化:" not in browser.find_element(By.TAG_NAME, "body").text
