"""The sample site is accessible as axe-core and a keyboard see it, in Chromium.

axe-core (npm, package.json) runs on each kind of page at desktop and phone sizes, in
the light and the dark colour schemes (colour contrast is one of its wcag2aa rules).
The keyboard tests press Tab like a reader would and check where focus goes.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import DEVICES, node_module

ARTICLE = "/2025/02/openai-ouvre-ses-portes-aux-sources-ouvertes-un-virage-strategique/"
PHOTOS = "/2025/02/photos-du-domaine-public-les-images-de-la-nasa-et-de-spacex-a-la-une/"
PAGES = {
    "front": "/",
    "article": ARTICLE,
    "photos": PHOTOS,  # a lead photo, two body photos with captions and credits
    "thumbnails": "/page/2/",  # a teaser with its photo
    "section": "/rubrique/technologie/",
    "tag": "/tag/intelligence-artificielle/",
    "search": "/recherche/",
    "search-results": "/recherche/?q=%C3%A9lectricit%C3%A9",  # « électricité »
    "404": "/404.html",
    "legal-notice": "/mentions-legales/",  # a page of the site, with the publisher's details
}
DESKTOP, PHONE = DEVICES["desktop"], DEVICES["phone"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def open_page(browser: Any, url: str, *, device: dict[str, Any], scheme: str) -> Any:
    """A fresh context (French, no motion) at ``url``, once the page and its scripts settled."""
    context = browser.new_context(
        locale="fr-FR", color_scheme=scheme, reduced_motion="reduce", **device
    )
    page = context.new_page()
    page.goto(url, wait_until="load")
    if "/recherche/" in url:  # the search form is shown by its script
        page.locator(".search__input").wait_for()
        if "?q=" in url:
            page.locator(".search__result a").first.wait_for(timeout=15_000)
        page.wait_for_load_state("networkidle")
    return page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    page.add_script_tag(path=str(node_module("axe-core/axe.min.js")))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => (await axe.run(document, {
               runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})).violations""",
        AXE_TAGS,
    )
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per violation and node: rule id, impact, CSS target, axe's summary."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violation(
    chromium: Any, sample_url: str, name: str, device: dict[str, Any], scheme: str
) -> None:
    page = open_page(chromium, sample_url + PAGES[name], device=device, scheme=scheme)
    try:
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (
            scheme == "dark"
        )
        violations = axe_violations(page)
    finally:
        page.context.close()
    assert violations == [], f"axe on {PAGES[name]}:\n{describe(violations)}"


def test_axe_does_report_a_bad_page(chromium: Any, sample_url: str) -> None:
    # The check can fail: the same page with an unlabelled image and low-contrast text.
    page = open_page(chromium, sample_url + "/", device=DESKTOP, scheme="light")
    try:
        page.evaluate(
            """() => { const img = document.createElement("img"); img.src = "/favicon.svg";
                       document.querySelector("main").append(img);
                       document.querySelector(".card__title a").style.color = "#bbb"; }"""
        )
        found = {v["id"] for v in axe_violations(page)}
    finally:
        page.context.close()
    assert {"image-alt", "color-contrast"} <= found


# Each focusable element gets a number so the browser's focus order can be compared with
# the document's links. Visible: rendered with a box and not hidden by CSS.
MARK_LINKS = """() => {
  const visible = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const links = [...document.querySelectorAll("a[href]")];
  links.forEach((a, i) => a.dataset.tabCheck = String(i));
  return links.filter(visible).map((a) => a.dataset.tabCheck);
}"""
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {mark: el.dataset.tabCheck ?? null, tag: el.tagName, text: el.textContent.trim(),
          href: el.getAttribute("href"), focusVisible: el.matches(":focus-visible"),
          outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
}"""


def tab_through(page: Any, limit: int) -> list[dict[str, Any]]:
    """Press Tab from the top until focus leaves the page; what got focus, in order."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and focused == stops[0]):
            break
        stops.append(focused)
    return stops


@pytest.mark.parametrize("name", ["front", "article", "tag", "search", "404"])
def test_tab_reaches_every_visible_link_in_order(chromium: Any, sample_url: str, name: str) -> None:
    page = open_page(chromium, sample_url + PAGES[name], device=DESKTOP, scheme="light")
    try:
        visible = page.evaluate(MARK_LINKS)
        stops = tab_through(page, limit=len(visible) + 20)
    finally:
        page.context.close()
    link_stops = [s["mark"] for s in stops if s["mark"] is not None]
    assert link_stops == visible, "Tab order differs from the order of the visible links"
    first = stops[0]
    assert first["tag"] == "A" and first["href"] == "#contenu", first
    invisible_focus = [s for s in stops if not (s["focusVisible"] and s["outline"])]
    assert invisible_focus == [], f"focus not visible on {invisible_focus}"


@pytest.mark.parametrize("name", ["front", "article"])
def test_skip_link_moves_focus_to_the_content(chromium: Any, sample_url: str, name: str) -> None:
    page = open_page(chromium, sample_url + PAGES[name], device=DESKTOP, scheme="light")
    try:
        page.keyboard.press("Tab")
        skip = page.evaluate(
            """() => { const r = document.activeElement.getBoundingClientRect();
                       return {text: document.activeElement.textContent.trim(),
                               onScreen: r.top >= 0 && r.bottom <= innerHeight && r.width > 0}; }"""
        )
        page.keyboard.press("Enter")
        page.wait_for_function("document.activeElement.id === 'contenu'", timeout=5_000)
        target = page.evaluate(
            """() => ({top: document.getElementById("contenu").getBoundingClientRect().top,
                       scrolled: scrollY, room: document.documentElement.scrollHeight - innerHeight,
                       tag: document.activeElement.tagName})"""
        )
        page.keyboard.press("Tab")  # the next stop is the first link of the content
        inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    finally:
        page.context.close()
    assert skip == {"text": "Aller au contenu", "onScreen": True}
    assert target["tag"] == "MAIN"
    # Scrolled to the content, or as far as the page allows.
    assert abs(target["top"]) <= 1 or target["scrolled"] >= target["room"] - 1, target
    assert inside
