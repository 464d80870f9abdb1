from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from presse.config import SiteConfig
from presse.theme import PACKAGE_THEME, absolute_url, collect_static, load_theme, site_url


def test_package_ships_the_default_theme() -> None:
    for name in ("base.html", "index.html", "article.html", "404.html"):
        assert (PACKAGE_THEME / "templates" / name).is_file()
    assert (PACKAGE_THEME / "static" / "css" / "presse.css").is_file()


def test_site_template_overrides_a_single_file(tmp_path: Path) -> None:
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "partials" / "footer.html").write_text("PIED", encoding="utf-8")
    env = load_theme(tmp_path, SiteConfig()).env
    assert env.get_template("partials/footer.html").render() == "PIED"
    assert "{% extends" in Path(str(env.get_template("article.html").filename)).read_text("utf-8")


def test_site_static_overrides_theme_static(tmp_path: Path) -> None:
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "presse.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "static" / ".hidden").write_text("x", encoding="utf-8")
    files = {f.path: f.source for f in collect_static(tmp_path)}
    assert files["css/presse.css"] == tmp_path / "static" / "css" / "presse.css"
    assert files["favicon.svg"] == PACKAGE_THEME / "static" / "favicon.svg"
    assert ".hidden" not in files


def test_symlinks_in_static_are_not_published(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "passwd").symlink_to("/etc/passwd")
    assert "passwd" not in {f.path for f in collect_static(tmp_path)}


def test_autoescape_and_strict_undefined(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("{{ value }}", encoding="utf-8")
    env = load_theme(tmp_path, SiteConfig()).env
    assert env.get_template("t.html").render(value="<script>") == "&lt;script&gt;"
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("t.html").render()


def test_urls_follow_base_url_path() -> None:
    config = SiteConfig(base_url="https://ex.fr/journal")
    assert site_url(config, "/2025/01/a/") == "/journal/2025/01/a/"
    assert absolute_url(config, "/2025/01/a/") == "https://ex.fr/journal/2025/01/a/"
    assert site_url(SiteConfig(), "/") == "/"
