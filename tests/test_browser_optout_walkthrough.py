"""The opt-out scheme in a browser, on the demo's award recipients as ``make run`` loads them:
a resident finds the published list, files an opt-out on the public form (no account), keeps the
reference and token; the jobs worker re-derives the list and the row is gone; staff see the
request on their dashboard and mark it checked; later the resident withdraws (解除) with the token
and the row is published again. Screenshots under artifacts/screenshots/<test>/."""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.request

import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from ckanext.gifu.demo import loader, tables
from ckanext.gifu.tests.test_browser_theme import BLOCKING, run_axe

# clean_redis: the public form's rate limit counts per address in Redis, and every run of this
# test files from 127.0.0.1 (a sixth run within the hour would be refused, rightly).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.ckan_config("ckan.plugins", "gifu scheming_datasets optout anonymize"),
    pytest.mark.usefixtures("with_plugins", "suite_db", "clean_index", "clean_redis", "with_test_worker"),
]

AWARDS, VOLUNTEERS, BARBERS = (
    "civic-award-recipients",
    "disaster-volunteer-register",
    "barber-beauty-shops-holders",
)
PASSWORD = "Gifu-Staff-Pass-2026"


def published_names(live_server: str) -> list[str]:
    """氏名 of every row of the award list's public file, downloaded without an account."""
    dataset = call_action("package_show", context={"user": "", "ignore_auth": False}, id=AWARDS)
    resource = dataset["resources"][0]
    url = f"{live_server}/dataset/{AWARDS}/resource/{resource['id']}/download/awards.csv"
    with urllib.request.urlopen(url) as response:
        rows = list(csv.reader(io.StringIO(response.read().decode("utf-8-sig"))))
    assert rows[0][0] == "氏名"
    return [row[0] for row in rows[1:]]


def to_wareki(iso: str) -> str:
    """1992-08-23 → 平成4年8月23日 (how many residents write a birth date)."""
    year, month, day = (int(x) for x in iso.split("-"))
    for era, first in (("令和", 2019), ("平成", 1989), ("昭和", 1926)):
        if year >= first:
            n = year - first + 1
            return f"{era}{'元' if n == 1 else n}年{month}月{day}日"
    raise ValueError(iso)


def click(browser, element) -> None:
    """Scroll to an element and click it, as a person would (never under a sticky header)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def accessible(browser) -> bool:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation on the current page."""
    result = run_axe(browser)
    assert "error" not in result, result
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, blocking
    return True


def body_text(browser) -> str:
    return browser.find_element(By.TAG_NAME, "body").text


def test_resident_opts_out_and_withdraws_in_the_browser(live_server, browser, screenshot, run_jobs):
    loader.load_demo(only=[AWARDS, VOLUNTEERS, BARBERS])
    run_jobs()
    _header, people = tables.award_recipients()
    name, kana, birth = people[0][:3]
    same_person = sum(1 for p in people if p[0] == name and p[2] == birth)
    before = published_names(live_server)
    assert name in before and len(before) == len(people)
    wait = WebDriverWait(browser, 30)
    browser.set_window_size(1280, 1024)

    # The resident finds the list on the portal and the way to opt out.
    browser.get(f"{live_server}/dataset/{AWARDS}")
    assert "市民表彰 受賞者一覧" in body_text(browser)
    screenshot(browser, "1-published-list")
    assert accessible(browser)
    assert browser.find_element(By.CLASS_NAME, "gifu-lifecycle-open").text.split() == ["公開の段階", "公開"]
    click(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "公開しないよう申し出ることができます"))
    wait.until(EC.url_contains("/optout/request"))
    wait.until(EC.presence_of_element_located((By.ID, "field-name")))

    # Full-width space, 和暦, hiragana reading: as people write them.
    browser.find_element(By.ID, "field-name").send_keys(name.replace(" ", "\u3000"))
    browser.find_element(By.ID, "field-name_kana").send_keys(
        "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ン" else c for c in kana)
    )
    browser.find_element(By.ID, "field-birth_date").send_keys(to_wareki(birth))
    # Coming from the dataset, the form offers it as the scope (or every dataset, recommended).
    scope = Select(browser.find_element(By.ID, "field-scope"))
    assert scope.first_selected_option.text == "市民表彰 受賞者一覧（公開中）"
    assert "すべてのデータ（おすすめ）" in [o.text for o in scope.options]
    screenshot(browser, "2-request-form")
    assert accessible(browser)
    submit = browser.find_element(By.CSS_SELECTOR, "button[type=submit].btn-primary")
    click(browser, submit)
    wait.until(EC.staleness_of(submit))
    reference = wait.until(EC.presence_of_element_located((By.ID, "optout-reference"))).text
    token = browser.find_element(By.ID, "optout-token").text
    assert reference.startswith("OPT-") and len(token) >= 16
    screenshot(browser, "3-reference-and-token")
    assert accessible(browser)

    # In effect at once: until the worker has re-derived it, the list is not public at all.
    with pytest.raises(urllib.error.HTTPError) as gone:
        published_names(live_server)
    assert gone.value.code == 404
    run_jobs()
    after = published_names(live_server)
    assert name not in after
    assert len(after) == len(people) - same_person
    assert [n for n in before if n != name] == after  # every other row intact, in order

    # Staff see the request (never the name) and mark it checked.
    staff = factories.Sysadmin(password=PASSWORD)
    browser.delete_all_cookies()
    browser.get(f"{live_server}/user/login")
    browser.find_element(By.ID, "field-login").send_keys(staff["name"])
    browser.find_element(By.ID, "field-password").send_keys(PASSWORD)
    click(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit].btn-primary"))
    wait.until(lambda d: "/user/login" not in d.current_url)
    browser.get(f"{live_server}/optout/staff")
    row = browser.find_element(By.XPATH, f"//tr[td/code[text()='{reference}']]")
    assert "受付済" in row.text and "市民表彰 受賞者一覧" in row.text
    assert name not in body_text(browser) and name.split()[0] not in body_text(browser)
    screenshot(browser, "4-staff-dashboard")
    verify = row.find_element(By.CSS_SELECTOR, "button[value=verify]")
    click(browser, verify)
    wait.until(EC.staleness_of(verify))
    row = browser.find_element(By.XPATH, f"//tr[td/code[text()='{reference}']]")
    assert "確認済" in row.text
    run_jobs()
    assert name not in published_names(live_server)

    # Later the resident checks the status, then withdraws (解除) with the token.
    browser.delete_all_cookies()
    browser.get(f"{live_server}/optout/status?reference={reference}")
    browser.find_element(By.ID, "field-token").send_keys(token)
    show = browser.find_element(By.CSS_SELECTOR, "button[value=show]")
    click(browser, show)
    wait.until(EC.staleness_of(show))
    assert "確認済" in body_text(browser) and token not in browser.page_source
    screenshot(browser, "5-status")
    assert accessible(browser)
    browser.find_element(By.ID, "field-token").send_keys(token)
    click(browser, browser.find_element(By.ID, "field-confirm"))
    withdraw = browser.find_element(By.CSS_SELECTOR, "button[value=withdraw]")
    click(browser, withdraw)
    wait.until(EC.staleness_of(withdraw))
    assert "解除しました" in body_text(browser)
    screenshot(browser, "6-withdrawn")

    run_jobs()
    assert published_names(live_server) == before

    # What will be opened, and what the city keeps in stock: titles and descriptions only.
    browser.get(f"{live_server}/optout/notices")
    page = body_text(browser)
    assert (
        "災害ボランティア登録者一覧（公開予定）" in page and "理容所・美容所一覧（開設者情報を含む）" in page
    )
    screenshot(browser, "7-notices-and-stock")
    assert accessible(browser)
    for volunteer in tables.disaster_volunteers()[1][:5]:
        assert volunteer[0] not in page
