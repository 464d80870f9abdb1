from __future__ import annotations

import pytest

from presse.embeds import (
    builtin_providers,
    facade_html,
    find_embed,
    merge_providers,
    provider_from_table,
)
from presse.i18n import load_translations
from presse.markdown import create_markdown, render_body

PROVIDERS = builtin_providers()
FR = load_translations("fr_FR").gettext


@pytest.mark.parametrize(
    ("url", "provider", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?t=42", "YouTube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", "YouTube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube",
         "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "Vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.dailymotion.com/video/x7xtj58", "Dailymotion",
         "https://www.dailymotion.com/embed/video/x7xtj58"),
        ("https://dai.ly/x7xtj58", "Dailymotion", "https://www.dailymotion.com/embed/video/x7xtj58"),
        ("https://www.dailymotion.com/embed/playlist/x65owi", "Dailymotion",
         "https://www.dailymotion.com/embed/playlist/x65owi"),
        ("https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "PeerTube",
         "https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d"),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "Datawrapper",
         "https://datawrapper.dwcdn.net/AbC12/"),
        ("https://public.flourish.studio/visualisation/1234567/", "Flourish",
         "https://flo.uish.studio/visualisation/1234567/embed"),
        ("https://umap.openstreetmap.fr/fr/map/velos-a-paris_12345", "uMap",
         "https://umap.openstreetmap.fr/fr/map/velos-a-paris_12345?scrollWheelZoom=false&embedControl=null"),
        ("https://x.com/AFP/status/1234567890", "X (Twitter)", None),
        ("https://mastodon.social/@Gargron/109000000000000000", "Mastodon", None),
        ("https://bsky.app/profile/lemonde.fr/post/3kabc", "Bluesky", None),
    ],
)  # fmt: skip
def test_known_urls_are_embeds(url: str, provider: str, player: str | None) -> None:
    embed = find_embed(url, PROVIDERS)
    assert embed is not None
    assert (embed.provider, embed.player, embed.url) == (provider, player, url)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/channel/UC123",
        "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        "https://[::1/",
    ],
)
def test_unknown_hosts_and_shapes_are_no_embeds(url: str) -> None:
    assert find_embed(url, PROVIDERS) is None


def test_a_lone_url_becomes_a_facade_and_other_urls_stay_links() -> None:
    md = create_markdown(providers=PROVIDERS)
    body = render_body(
        md,
        "Avant.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
        "Voir https://www.youtube.com/watch?v=dQw4w9WgXcQ dans le texte.\n\n"
        "<https://evil.example/video>\n",
        FR,
    )
    html = body.html
    assert body.embeds == 1 and html.count('class="embed ') == 1
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "Lire la vidéo" in html and "Ouvrir sur YouTube" in html
    assert '<a href="https://evil.example/video">' in html
    assert "<iframe" not in html  # nothing loads before the reader asks


def test_an_iframe_of_a_provider_becomes_a_facade_with_its_title() -> None:
    md = create_markdown(providers=PROVIDERS)
    html = render_body(
        md,
        '<div class="video">\n<iframe src="//www.dailymotion.com/embed/video/x7h7en4"'
        ' title="Le programme en images" allowfullscreen></iframe>\n</div>\n\n'
        '<iframe src="https://giphy.com/embed/abc" width="480"></iframe>\n',
        FR,
    ).html
    assert html.count("<figure") == 1 and "<iframe" not in html and "giphy" not in html
    assert '<span class="embed__title">Le programme en images</span>' in html


def test_posts_are_link_cards_and_titles_are_escaped() -> None:
    embed = find_embed("https://x.com/AFP/status/1", PROVIDERS, title='<b>"A"</b>')
    assert embed is not None
    html = facade_html(embed, FR)
    assert "<script" not in html and "data-embed-src" not in html
    assert '<a class="embed__card" href="https://x.com/AFP/status/1">' in html
    assert "&lt;b&gt;&quot;A&quot;&lt;/b&gt;" in html
    assert "Voir la publication sur X (Twitter)" in html


def test_a_site_adds_and_replaces_providers() -> None:
    site = {
        "ina": {
            "name": "INA",
            "hosts": ["www.ina.fr"],
            "patterns": [r"^/video/(?P<id>\w+)"],
            "player": "https://player.ina.fr/embed/{id}",
        },
        "youtube": {
            "name": "YouTube",
            "hosts": ["www.youtube.com"],
            "patterns": [r"^/watch\?v=(?P<id>[\w-]{11})"],
            "player": "https://www.youtube.com/embed/{id}",
        },
    }
    providers = merge_providers(site)
    assert len(providers) == len(PROVIDERS) + 1
    ina = find_embed("https://www.ina.fr/video/CAB123", providers)
    assert ina is not None and ina.player == "https://player.ina.fr/embed/CAB123"
    youtube = find_embed("https://www.youtube.com/watch?v=dQw4w9WgXcQ", providers)
    assert youtube is not None and youtube.player == "https://www.youtube.com/embed/dQw4w9WgXcQ"
    assert find_embed("https://youtu.be/dQw4w9WgXcQ", providers) is None  # replaced


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"hosts": ["a.fr"], "patterns": ["^/(?P<id>x"], "player": "https://a.fr/{id}"},
         "is not a regular expression"),
        ({"hosts": ["a.fr"], "patterns": ["^/(?P<id>x)"], "player": "http://a.fr/{id}"},
         "must be an https:// address"),
        ({"hosts": ["a.fr"], "patterns": ["^/(?P<id>x)"], "player": "https://a.fr/{code}"},
         'uses "{code}", which no pattern names'),
        ({"hosts": [], "patterns": ["^/"], "player": "https://a.fr/"},
         "hosts must be a non-empty list"),
        ({"kind": "gif", "hosts": ["a.fr"], "patterns": ["^/"], "player": "https://a.fr/"},
         "kind must be one of"),
        ({"kind": "post", "hosts": ["a.fr"], "patterns": ["^/"], "player": "https://a.fr/"},
         "has no player"),
        ({"hosts": ["a.fr"], "patterns": ["^/"], "player": "https://a.fr/", "script": "x"},
         'unknown key "script"'),
    ],
)  # fmt: skip
def test_bad_provider_tables_are_refused(table: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("{", r"\{")):
        provider_from_table("test", table)


def test_a_local_picture_above_the_url_becomes_the_facade_picture() -> None:
    md = create_markdown(providers=PROVIDERS)
    text = "![Le débat en vidéo](/images/debat.jpg)\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n"
    html = render_body(md, text, FR).html
    assert '<img class="embed__poster" src="/images/debat.jpg" alt="">' in html
    assert '<span class="embed__title">Le débat en vidéo</span>' in html
    remote = "![x](https://i.ytimg.com/vi/x/0.jpg)\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n"
    assert "embed__poster" not in render_body(md, remote, FR).html  # never a remote picture
