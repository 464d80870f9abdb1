"""WordPress post HTML → presse Markdown (issue 13): one test per construct WordPress
stores, each checked the way presse will read the Markdown back."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from lxml import etree
from markdown_it import MarkdownIt

from presse.embeds import builtin_providers
from presse.html_markdown import Image, html_to_markdown
from presse.markdown import create_markdown, render_body

EXPORT = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
PLAIN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
PRESSE = create_markdown(providers=builtin_providers())


def md(html: str) -> str:
    return html_to_markdown(html).markdown


def presse_html(markdown: str) -> str:
    """The body as presse publishes it (photos stay markers: no files here)."""
    return render_body(PRESSE, markdown).html


def text_of(markdown: str) -> str:
    """What a reader reads: the rendered text, with images' alt and caption."""
    root = lxml.html.fragment_fromstring(PLAIN.render(markdown) or "<p></p>", create_parent="div")
    extra = [f"{i.get('alt', '')} {i.get('title', '')}" for i in root.iter("img")]
    return " ".join(" ".join([root.text_content(), *extra]).replace("\xa0", " ").split())


# --- images --------------------------------------------------------------------------


def test_figure_with_figcaption_becomes_an_image_with_its_caption() -> None:
    html = (
        '<figure class="wp-block-image"><img src="/p.jpg" alt="Le quai"/>'
        '<figcaption class="wp-element-caption">Le quai, à l\'aube.</figcaption></figure>'
    )
    markdown = md(html)
    assert markdown == '![Le quai](/p.jpg "Le quai, à l\'aube.")\n'
    photo = render_body(PRESSE, markdown).photos[0]
    assert (photo.figure, photo.alt, photo.caption) == (True, "Le quai", "Le quai, à l’aube.")


def test_a_link_around_an_image_to_its_own_file_goes() -> None:
    html = (
        '<p><a href="https://exemple.fr/wp-content/uploads/2024/03/port.jpg">'
        '<img src="https://exemple.fr/wp-content/uploads/2024/03/port-300x200.jpg" alt="Port"'
        ' class="wp-image-9" /></a></p>'
    )
    assert md(html) == "![Port](https://exemple.fr/wp-content/uploads/2024/03/port-300x200.jpg)\n"


def test_a_link_around_an_image_to_another_page_stays() -> None:
    html = '<p><a href="/2024/03/port/"><img src="/p.jpg" alt="Port" /></a></p>'
    assert md(html) == "[![Port](/p.jpg)](/2024/03/port/)\n"


def test_an_image_among_words_stays_inline() -> None:
    html = '<p>Le logo <img src="/logo.png" alt="Logo de la mairie" /> de la commune.</p>'
    markdown = md(html)
    assert markdown == "Le logo ![Logo de la mairie](/logo.png) de la commune.\n"
    assert not render_body(PRESSE, markdown).photos[0].figure


def test_place_gives_each_image_its_address_and_alt() -> None:
    seen: list[Image] = []

    def place(image: Image) -> Image:
        seen.append(image)
        return Image("port.jpg", image.alt or "Le port", image.caption, image.attachment)

    html = '<figure><img src="/wp-content/uploads/port-1024x683.jpg" class="wp-image-7" alt="">'
    html += "<figcaption>Au matin</figcaption></figure>"
    converted = html_to_markdown(html, place)
    assert seen == [Image("/wp-content/uploads/port-1024x683.jpg", "", "Au matin", 7)]
    assert converted.markdown == '![Le port](port.jpg "Au matin")\n'
    assert converted.dropped == ()


def test_an_image_without_alt_gets_its_caption_and_a_report_line() -> None:
    converted = html_to_markdown(
        '<figure><img src="/a.jpg"><figcaption>Au port</figcaption></figure>'
    )
    assert converted.markdown == '![Au port](/a.jpg "Au port")\n'
    assert converted.dropped == (
        'image without alt text: made from its caption, "Au port", to review',
    )


def test_an_image_without_alt_nor_caption_gets_its_file_name_words() -> None:
    converted = html_to_markdown('<p><img src="/up/vieux-greement-1024x683.jpg"></p>')
    assert converted.markdown == "![vieux greement](/up/vieux-greement-1024x683.jpg)\n"
    assert "made from its file name" in converted.dropped[0]


def test_image_text_is_escaped_and_addresses_encoded() -> None:
    html = '<figure><img src="/a b(1.jpg" alt="Un *beau* [port]"><figcaption>Dit "oui"</figcaption>'
    markdown = md(html + "</figure>")
    assert markdown == '![Un \\*beau\\* \\[port\\]](/a%20b%281.jpg "Dit \\"oui\\"")\n'
    image = lxml.html.fragment_fromstring(PLAIN.render(markdown)).find(".//img")
    assert (image.get("alt"), image.get("title")) == ("Un *beau* [port]", 'Dit "oui"')


# --- embeds --------------------------------------------------------------------------


def test_gutenberg_embed_block_becomes_the_url_and_its_caption() -> None:
    html = (
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=Tz8wR4nBq1E","type":"video",'
        '"providerNameSlug":"youtube"} -->\n<figure class="wp-block-embed is-type-video '
        'is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=Tz8wR4nBq1E\n</div><figcaption>Le défilé.</figcaption>"
        "</figure>\n<!-- /wp:embed -->"
    )
    converted = html_to_markdown(html)
    assert converted.markdown == "https://www.youtube.com/watch?v=Tz8wR4nBq1E\n\nLe défilé.\n"
    assert converted.embeds == 1
    assert render_body(PRESSE, converted.markdown).embeds == 1


def test_an_embed_block_of_an_unknown_provider_stays_a_link() -> None:
    html = (
        '<!-- wp:embed {"url":"https://exemple.org/video/12"} --><figure class="wp-block-embed">'
        '<div class="wp-block-embed__wrapper">https://exemple.org/video/12</div></figure>'
        "<!-- /wp:embed -->"
    )
    assert md(html) == "<https://exemple.org/video/12>\n"


@pytest.mark.parametrize(
    ("src", "url"),
    [
        (
            "https://www.youtube.com/embed/Kx3pQ9vLm2A?si=Qw3r",
            "https://www.youtube.com/watch?v=Kx3pQ9vLm2A",
        ),
        (
            "//www.youtube-nocookie.com/embed/Kx3pQ9vLm2A",
            "https://www.youtube.com/watch?v=Kx3pQ9vLm2A",
        ),
        ("https://player.vimeo.com/video/76979871?h=8272103f6e", "https://vimeo.com/76979871"),
        (
            "https://www.dailymotion.com/embed/video/x8abc12",
            "https://www.dailymotion.com/video/x8abc12",
        ),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "https://datawrapper.dwcdn.net/AbC12/3/"),
    ],
)
def test_a_player_iframe_becomes_its_page_url(src: str, url: str) -> None:
    converted = html_to_markdown(f'<p>Avant.</p><iframe src="{src}" width="560"></iframe>')
    assert converted.markdown == f"Avant.\n\n{url}\n"
    assert render_body(PRESSE, converted.markdown).embeds == 1


def test_an_iframe_of_no_known_provider_is_dropped_and_listed() -> None:
    converted = html_to_markdown('<p>Carte :</p><iframe src="https://cartes.exemple/x"></iframe>')
    assert converted.markdown == "Carte :\n"
    assert converted.dropped == (
        "<iframe> of no known embed provider removed: https://cartes.exemple/x",
    )


def test_an_iframe_inside_a_paragraph_gets_its_own_paragraph() -> None:
    html = '<p>Voir <iframe src="https://www.youtube.com/embed/Kx3pQ9vLm2A"></iframe> ici.</p>'
    assert md(html) == "Voir ici.\n\nhttps://www.youtube.com/watch?v=Kx3pQ9vLm2A\n"


# --- quotations ----------------------------------------------------------------------


def test_a_quote_with_a_cite_becomes_a_presse_quotation() -> None:
    html = (
        '<!-- wp:quote --><blockquote class="wp-block-quote"><!-- wp:paragraph --><p>Nous '
        "n’avions jamais vu autant de monde.</p><!-- /wp:paragraph --><cite>Yann Kerbrat, "
        "président du comité des fêtes</cite></blockquote><!-- /wp:quote -->"
    )
    converted = html_to_markdown(html)
    assert converted.markdown == (
        "> « Nous n’avions jamais vu autant de monde. »\n\n"
        "– Yann Kerbrat, président du comité des fêtes\n"
    )
    assert converted.quotations == 1
    assert '<figure class="citation">' in presse_html(converted.markdown)


def test_a_quote_followed_by_a_dash_line_becomes_a_presse_quotation() -> None:
    html = (
        "<blockquote>« Nous avons tenu les délais. »</blockquote>\n"
        "– Marie Dupont, maire de Plouzévan\n\nLa suite."
    )
    markdown = md(html)
    assert markdown == (
        "> « Nous avons tenu les délais. »\n\n– Marie Dupont, maire de Plouzévan\n\nLa suite.\n"
    )
    rendered = presse_html(markdown)
    assert "<figcaption>– Marie Dupont, maire de Plouzévan</figcaption>" in rendered


@pytest.mark.parametrize("dash", ["—", "-", "–"])
def test_any_dash_starts_an_attribution(dash: str) -> None:
    html = f"<blockquote><p>« Oui. »</p></blockquote><p>{dash} Sophie Le Bihan, adjointe</p>"
    assert md(html) == "> « Oui. »\n\n– Sophie Le Bihan, adjointe\n"


def test_a_multi_paragraph_quote_gets_one_pair_of_guillemets() -> None:
    html = "<blockquote><p>Premier temps.</p><p>Second temps.</p><cite>Anne</cite></blockquote>"
    assert md(html) == "> « Premier temps.\n>\n> Second temps. »\n\n– Anne\n"


def test_a_title_cited_inside_a_quote_is_no_attribution() -> None:
    html = "<blockquote><p>Relisez <cite>Les Misérables</cite>, disait-il.</p></blockquote>"
    assert md(html) == "> Relisez Les Misérables, disait-il.\n"


def test_a_quote_without_attribution_stays_a_plain_quotation() -> None:
    assert md("<blockquote><p>Un extrait du rapport.</p></blockquote>") == (
        "> Un extrait du rapport.\n"
    )


# --- scripts -----------------------------------------------------------------------


def test_scripts_styles_and_forms_are_dropped_and_listed() -> None:
    converted = html_to_markdown(
        "<p>Texte.</p><script>track('x');</script><style>p{color:red}</style>"
        '<form action="/envoi"><input name="q"><button>Envoyer</button></form>'
    )
    assert converted.markdown == "Texte.\n"
    assert converted.dropped == (
        "<script> removed: track('x');",
        "<style> removed: p{color:red}",
        "<form> removed: Envoyer",
    )


# --- text ------------------------------------------------------------------------------


def test_markdown_characters_in_french_text_stay_text() -> None:
    html = (
        "<p>Le score est de 3 * 4, le fichier mon_fichier_final.doc, le mot-clé #Plouzévan.</p>"
        "<p># Pas un titre</p><p>1. Pas une liste</p><p>- ni ceci</p><p>+ ni cela</p>"
        "<p>&gt; ni une citation</p><p>*étoiles* _soulignés_ [crochets](non-lien) `accent`</p>"
        "<p>Il a écrit &lt;div&gt; et &amp;amp; puis ~~barré~~ et a|b.</p>"
    )
    markdown = md(html)
    assert PLAIN.render(markdown).count("<p>") == 8  # no heading, list, quote, link, code
    assert "<em>" not in PLAIN.render(markdown) and "<code>" not in PLAIN.render(markdown)
    assert text_of(markdown) == text_of_html(html)


BLOCKS = frozenset(("p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "blockquote", "cite", "figure", "figcaption", "table", "tr", "td", "th",
                    "pre", "br"))  # fmt: skip


def text_of_html(html: str, *, lines: bool = False) -> str:
    """The text of some HTML, blocks apart (one a line with ``lines``)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter(*BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    text = root.text_content().replace("\xa0", " ")
    if lines:
        return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
    return " ".join(text.split())


def test_no_escape_where_markdown_reads_no_markup() -> None:
    html = "<p>Créé en 1991. Jean-Pierre a vu 3 = 3 chez R&amp;D, le 14. Soit 2+2 &lt; 5.</p>"
    assert md(html) == "Créé en 1991. Jean-Pierre a vu 3 = 3 chez R&D, le 14. Soit 2+2 < 5.\n"


def test_entities_and_no_break_spaces_are_kept_as_characters() -> None:
    html = "<p>L&rsquo;œuvre coûte 3&nbsp;€&#8239;; «&nbsp;enfin&nbsp;!&nbsp;» 🎉</p>"
    assert md(html) == "L’œuvre coûte 3\xa0€\u202f; «\xa0enfin\xa0!\xa0» 🎉\n"


def test_nested_lists_tables_links_and_emphasis_keep_their_structure() -> None:
    html = (
        '<h3>Programme</h3><ol start="3"><li>trois<ul><li>sous-point</li></ul></li></ol>'
        "<table><tr><th>Commune</th><th>Habitants</th></tr><tr><td>Plouzévan</td><td>2 345</td>"
        '</tr></table><p>Voir <a href="/budget/" title="Le budget"><em>le rapport</em> complet'
        "</a> et <strong>le résumé</strong>.</p>"
    )
    assert md(html) == (
        "### Programme\n\n3. trois\n   - sous-point\n\n| Commune | Habitants |\n| --- | --- |\n"
        '| Plouzévan | 2 345 |\n\nVoir [*le rapport* complet](/budget/ "Le budget") et'
        " **le résumé**.\n"
    )


def test_an_unclosed_emphasis_does_not_span_paragraphs() -> None:
    markdown = md("<p>Un <em>mot non fermé<p>Paragraphe suivant</p><p>Fin</p>")
    assert markdown == "Un mot non fermé\n\nParagraphe suivant\n\nFin\n"


@pytest.mark.parametrize("depth", [300, 1500])
def test_markup_nested_too_deep_keeps_its_text(depth: int) -> None:
    html = "<p>Avant.</p>" + "<div>" * depth + "Au fond." + "</div>" * depth + "<p>Après.</p>"
    converted = html_to_markdown(html)
    assert converted.markdown == "Avant.\n\nAu fond.\n\nAprès.\n"
    deep = ("markup nested too deep for Markdown: its text kept as paragraphs",)
    assert converted.dropped == (deep if depth > 1000 else ())


def test_an_empty_body_is_empty_markdown() -> None:
    assert html_to_markdown("  \n<!-- wp:paragraph --><!-- /wp:paragraph -->").markdown == ""
    assert md("<p>&nbsp;</p>") == ""


def test_the_conversion_is_deterministic() -> None:
    html = "".join(content for _, content in fixture_bodies())
    assert html_to_markdown(html) == html_to_markdown(html)


# --- the fixture: nothing lost ----------------------------------------------------------


def fixture_bodies() -> list[tuple[str, str]]:
    bodies = []
    for item in etree.parse(str(EXPORT)).iter("item"):
        kind = item.findtext("{http://wordpress.org/export/1.2/}post_type")
        if kind in ("post", "page"):
            number = item.findtext("{http://wordpress.org/export/1.2/}post_id")
            bodies.append((f"{kind} {number}", item.findtext(CONTENT) or ""))
    return bodies


def _sentences(html: str) -> list[str]:
    """The sentences of a body as WordPress shows it, less what is dropped on purpose:
    shortcodes, scripts and styles, and the URLs that become embeds."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    html = re.sub(r"\[/?(?:gallery|contact-form-7|embed|caption)[^\]]*\]", " ", html)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.DOTALL)
    text = re.sub(r"https?://\S+", " ", text_of_html(f"<div>{html}</div>", lines=True))
    sentences = (s for line in text.split("\n") for s in re.split(r"(?<=[.!?»])\s+", line))
    return [s.strip(" –—-") for s in sentences if len(s.strip(" –—-")) > 3]


@pytest.mark.parametrize(("name", "html"), fixture_bodies(), ids=lambda v: str(v)[:12])
def test_no_sentence_of_the_fixture_is_lost(name: str, html: str) -> None:
    rendered = text_of(html_to_markdown(html).markdown)
    for sentence in _sentences(html):
        assert " ".join(sentence.split()) in rendered, f"{name}: {sentence!r}"
