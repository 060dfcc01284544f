"""A resident's path in headless Chromium, at desktop and phone widths: home → search 「人口」 →
dataset page, with axe-core (npm, run offline from node_modules) on every page. No serious or
critical violations are allowed. Screenshots go to artifacts/screenshots/<test>/, the axe results
to artifacts/a11y/axe-<width>.json (published on /accessibility by ``dev/theme.sh publish-a11y``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from .theme_fixtures import DATASET_TITLE, PORTAL_PLUGINS, portal  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.ckan_config("ckan.plugins", PORTAL_PLUGINS),
    pytest.mark.usefixtures("with_plugins"),
]

ASSETS = Path(__file__).parents[1] / "assets"
AXE = ASSETS / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parents[4] / "artifacts" / "a11y"
# JIS X 8341-3:2016 is WCAG 2.0; axe's 2.1 A/AA rules are a superset worth keeping.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def run_axe(driver) -> dict:
    """axe-core's results for the current page (injected from node_modules: no network)."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        "  .then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        "    help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})),"
        "    version: r.testEngine.version}))"
        "  .catch(e => done({error: String(e)}));",
        AXE_TAGS,
    )


class Audit:
    """Collects axe results per page for one screen width and writes them as JSON."""

    def __init__(self, driver, width: int):
        self.driver, self.width, self.runs, self.version = driver, width, [], None

    def check(self, label: str) -> list[dict]:
        result = run_axe(self.driver)
        assert "error" not in result, result
        self.version = result["version"]
        counts = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
        for violation in result["violations"]:
            counts[violation["impact"] or "minor"] += 1
        self.runs.append(
            {
                "page": label,
                "width": self.width,
                "violations": counts,
                "rules": sorted(v["id"] for v in result["violations"]),
                "details": result["violations"],
            }
        )
        return [v for v in result["violations"] if v["impact"] in BLOCKING]

    def write(self) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"axe-{self.width}.json"
        caps = self.driver.capabilities
        path.write_text(
            json.dumps(
                {
                    "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "axe_version": self.version,
                    "standard": "WCAG 2.0/2.1 A・AA (" + ", ".join(AXE_TAGS) + ")",
                    "browser": f"Chromium {caps.get('browserVersion', '')} (headless, Debian)",
                    "conditions": "テスト用の小さなカタログ（組織1・グループ1・データセット1）を、"
                    "未ログインの状態で、この幅の画面で表示して測定",
                    "runs": self.runs,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        return path


def resident_path(browser, live_server, screenshot, width: int, height: int):
    assert AXE.is_file(), f"{AXE} missing: run npm ci --prefix {ASSETS}"
    browser.set_window_size(width, height)
    wait = WebDriverWait(browser, 30)
    audit = Audit(browser, width)
    blocking = {}

    browser.get(live_server + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja"
    # Keyboard: the first Tab reaches the skip link, visibly; it leads to the main content.
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "本文へ移動" and focused.get_attribute("href").endswith("#content")
    assert focused.is_displayed() and focused.size["width"] > 0
    assert browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;",
        focused,
    )
    screenshot(browser, f"{width}-1-home-skip-link")
    blocking["/"] = audit.check("/（ホーム）")
    # No sideways scrolling on a phone.
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(browser, f"{width}-2-home")
    if width < 992:  # the menu is behind a labelled button that opens it
        toggler = browser.find_element(By.CSS_SELECTOR, ".navbar-toggler")
        assert toggler.get_attribute("aria-label") == "メニューの表示を切り替え"
        toggler.click()
        wait.until(EC.visibility_of_element_located((By.LINK_TEXT, "個人情報の保護")))
        assert toggler.get_attribute("aria-expanded") == "true"
        screenshot(browser, f"{width}-2b-menu-open")
    for name, selector in (("2c-home-personal-data", ".gifu-privacy"), ("2d-footer", ".site-footer")):
        browser.execute_script(
            f"document.querySelector('{selector}').scrollIntoView({{behavior: 'instant'}})"
        )
        screenshot(browser, f"{width}-{name}")
    browser.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")

    box = browser.find_element(By.ID, "field-main-search")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=field-main-search]").text == "データを探す"
    box.send_keys("人口")
    box.send_keys(Keys.ENTER)
    # The home page lists the same dataset among the newest: wait for it to be replaced first.
    wait.until(EC.staleness_of(box))
    wait.until(EC.url_contains("/dataset"))
    link = wait.until(EC.element_to_be_clickable((By.LINK_TEXT, DATASET_TITLE)))
    screenshot(browser, f"{width}-3-search")
    blocking["/dataset/?q=人口"] = audit.check("/dataset/?q=人口（検索結果）")

    link.click()
    wait.until(EC.staleness_of(link))
    wait.until(EC.presence_of_element_located((By.CLASS_NAME, "gifu-license")))
    assert "公共データ利用規約 第1.0版 (PDL1.0)" in browser.find_element(By.CLASS_NAME, "gifu-license").text
    # The content comes before the sidebar on screen as in the page: above it on a phone, to its
    # left on a wide screen (CKAN showed its sidebar first).
    primary_top, secondary_top, primary_left, secondary_left = browser.execute_script(
        "const p = document.querySelector('.primary').getBoundingClientRect(),"
        "      s = document.querySelector('.secondary').getBoundingClientRect();"
        "return [p.top, s.top, p.left, s.left];"
    )
    if width < 768:
        assert primary_top < secondary_top
    else:
        assert primary_left < secondary_left
    screenshot(browser, f"{width}-4-dataset")
    blocking["/dataset/<name>"] = audit.check("/dataset/（データセット）")

    browser.get(live_server + "/accessibility")
    screenshot(browser, f"{width}-5-accessibility")
    blocking["/accessibility"] = audit.check("/accessibility（ウェブアクセシビリティ方針）")

    audit.write()
    assert not {page: found for page, found in blocking.items() if found}, blocking


def test_resident_path_desktop(portal, live_server, browser, screenshot):
    resident_path(browser, live_server, screenshot, 1280, 1024)


def test_resident_path_phone(portal, live_server, browser, screenshot):
    resident_path(browser, live_server, screenshot, 390, 844)
