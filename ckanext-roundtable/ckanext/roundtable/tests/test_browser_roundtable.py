"""Issue 15's "Done when" in headless Chromium on the portal's plugins: a resident files a data
request from a phone-width browser (no account, with a contact), the personal-data check passes
it in the jobs worker, another resident supports it, staff answer and link a dataset that goes
from the closed stock through notice to open, the requester's contact gets the status mails (a
local SMTP catcher), and the dataset page shows the request and a registered use of the data
(gifu's 活用事例). axe-core on every new page.
Screenshots under artifacts/screenshots/<test>/."""

from __future__ import annotations

import datetime as dt

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from ckanext.gifu.tests.test_browser_theme import BLOCKING, run_axe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets optout anonymize roundtable"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index", "clean_redis", "with_test_worker"),
]
PASSWORD = "Gifu-Staff-Pass-2026"
PHONE = (390, 844)


def accessible(browser) -> bool:
    """No serious or critical axe-core violation on the page, logged-in header included."""
    result = run_axe(browser)
    assert "error" not in result, result
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    return True


def click(browser, element) -> None:
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def submit(browser, wait, selector: str) -> None:
    button = browser.find_element(By.CSS_SELECTOR, selector)
    click(browser, button)
    wait.until(EC.staleness_of(button))


def text(browser) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


def test_a_request_from_a_phone_is_answered_by_a_dataset_that_opens(
    live_server, browser, screenshot, run_jobs, smtp_catcher
):
    staff = factories.Sysadmin(password=PASSWORD)
    org = factories.Organization(title="交通政策課")
    dataset = factories.Dataset(
        owner_org=org["id"],
        private=True,
        name="bus-stop-passengers",
        title="バス停別乗降客数",
        license_id="CC-BY-4.0",
        frequency="monthly",
        contact_name="岐阜市 交通政策課",
    )
    staff_context = {"user": staff["name"], "ignore_auth": False}
    call_action("optout_dataset_stock", context=dict(staff_context), id=dataset["id"])
    wait = WebDriverWait(browser, 30)

    # A resident on a phone, no account.
    browser.set_window_size(*PHONE)
    browser.get(f"{live_server}/")
    click(browser, browser.find_element(By.CSS_SELECTOR, "button.navbar-toggler"))
    nav = wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "データのリクエスト")))
    click(browser, nav)
    wait.until(EC.url_contains("/roundtable/"))
    assert accessible(browser)
    click(browser, browser.find_element(By.LINK_TEXT, "データをリクエストする"))
    wait.until(EC.presence_of_element_located((By.ID, "field-title")))
    assert accessible(browser)
    browser.find_element(By.ID, "field-title").send_keys("バス停ごとの乗降客数")
    browser.find_element(By.ID, "field-description").send_keys(
        "通学時間帯の混雑を避ける経路案内を作りたいので、バス停ごとの乗降客数がほしいです。"
    )
    browser.find_element(By.ID, "field-audience").send_keys("高校生、市内の IT 企業")
    browser.find_element(By.ID, "field-contact").send_keys("requester@example.org")
    screenshot(browser, "1-request-form-phone")
    submit(browser, wait, "form.roundtable-form button[type=submit]")
    notice = wait.until(EC.presence_of_element_located((By.ID, "roundtable-notice"))).text
    assert "自動で確認した後に公開" in notice
    screenshot(browser, "2-request-received")
    assert accessible(browser)

    # The jobs worker checks the text for personal data: nothing found, it is public.
    run_jobs()
    browser.get(f"{live_server}/roundtable/?q=ﾊﾞｽ停")  # half-width kana finds it
    click(browser, browser.find_element(By.LINK_TEXT, "バス停ごとの乗降客数"))
    wait.until(EC.presence_of_element_located((By.ID, "roundtable-support-count")))
    request_url = browser.current_url
    assert browser.find_element(By.ID, "roundtable-support-count").text == "0"
    assert "requester@example.org" not in browser.page_source
    assert accessible(browser)

    # Another resident (another phone) supports it; a second press changes nothing.
    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": "Mozilla/5.0 (Another phone)"})
    browser.get(request_url)
    submit(browser, wait, "#roundtable-support")
    assert browser.find_element(By.ID, "roundtable-support-count").text == "1"
    assert "応援しました" in text(browser)
    assert not browser.find_element(By.ID, "roundtable-support").is_enabled()
    screenshot(browser, "3-supported")

    # Staff answer (検討中) and link the dataset, still in the closed stock.
    browser.delete_all_cookies()
    browser.set_window_size(1280, 1024)
    browser.get(f"{live_server}/user/login")
    browser.find_element(By.ID, "field-login").send_keys(staff["name"])
    browser.find_element(By.ID, "field-password").send_keys(PASSWORD)
    click(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary"))
    wait.until(lambda d: "/user/login" not in d.current_url)
    browser.get(request_url)
    Select(browser.find_element(By.ID, "field-new-status")).select_by_visible_text("検討中")
    browser.find_element(By.ID, "field-reason").send_keys("交通事業者と公開の範囲を相談しています。")
    Select(browser.find_element(By.ID, "field-organization")).select_by_visible_text("交通政策課")
    submit(browser, wait, "#roundtable-answer")
    assert "検討中" in browser.find_element(By.ID, "roundtable-status").text
    assert "メールでお知らせします" in text(browser)
    browser.find_element(By.ID, "field-package").send_keys(dataset["name"])
    submit(browser, wait, "#roundtable-link")
    assert "バス停別乗降客数（公開準備中）" in browser.find_element(By.ID, "roundtable-dataset").text
    screenshot(browser, "4-staff-answer")
    assert accessible(browser)

    run_jobs()
    assert [m["to"] for m in smtp_catcher.messages] == [["requester@example.org"]]
    assert "検討中" in smtp_catcher.messages[0]["message"]["Subject"]

    # Notice: the dataset is announced; staff say it will be published.
    deadline = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    call_action("optout_dataset_notice", context=dict(staff_context), id=dataset["id"], deadline=deadline)
    Select(browser.find_element(By.ID, "field-new-status")).select_by_visible_text("公開予定")
    submit(browser, wait, "#roundtable-answer")
    assert "公開予定" in browser.find_element(By.ID, "roundtable-status").text

    # The public sees that a dataset is being prepared, not which.
    browser.delete_all_cookies()
    browser.set_window_size(*PHONE)
    browser.get(request_url)
    assert browser.find_element(By.ID, "roundtable-dataset").text.endswith("公開準備中")
    assert "バス停別乗降客数" not in text(browser)
    screenshot(browser, "5-being-prepared-phone")

    # The notice ends (released early by a sysadmin here): the dataset opens, the request is answered.
    call_action(
        "optout_dataset_release",
        context=dict(staff_context),
        id=dataset["id"],
        early=True,
        reason="リクエストへの対応（テスト）",
    )
    run_jobs()
    browser.get(request_url)
    assert "公開済" in browser.find_element(By.ID, "roundtable-status").text
    link = browser.find_element(By.CSS_SELECTOR, "#roundtable-dataset a")
    assert link.text == "バス停別乗降客数"
    subjects = [m["message"]["Subject"] for m in smtp_catcher.messages]
    assert len(subjects) == 3 and "公開予定" in subjects[1] and "公開済" in subjects[2]
    body = smtp_catcher.messages[2]["message"].get_content()
    assert body.index("状況: 公開済") < body.index("Status: published")

    # Someone registers what they built with it (a use of data, 活用事例: gifu's 'use' type).
    call_action(
        "package_create",
        context=dict(staff_context),
        type="use",
        name="bus-route-guide",
        title="混雑を避けるバス経路案内",
        kind="app",
        url="https://example.org/bus-route-guide",
        owner_org=org["id"],
        used_datasets=[dataset["name"]],
    )

    # The dataset page shows the request it answers and the use registered.
    click(browser, link)
    wait.until(EC.presence_of_element_located((By.ID, "roundtable-requests")))
    section = browser.find_element(By.ID, "roundtable-requests").text
    assert (
        "このデータへのリクエスト" in section and "バス停ごとの乗降客数" in section and "応援 1 人" in section
    )
    assert "混雑を避けるバス経路案内" in browser.find_element(By.ID, "gifu-uses").text
    screenshot(browser, "6-dataset-page-phone")
    assert accessible(browser)

    # The roundtable view: opened because someone asked.
    browser.set_window_size(1280, 1024)
    browser.get(f"{live_server}/user/login")
    browser.find_element(By.ID, "field-login").send_keys(staff["name"])
    browser.find_element(By.ID, "field-password").send_keys(PASSWORD)
    click(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary"))
    wait.until(lambda d: "/user/login" not in d.current_url)
    browser.get(f"{live_server}/roundtable/staff")
    opened = browser.find_element(By.ID, "roundtable-opened").text
    assert "バス停別乗降客数" in opened and "バス停ごとの乗降客数" in opened
    screenshot(browser, "7-roundtable-view")
    assert accessible(browser)
