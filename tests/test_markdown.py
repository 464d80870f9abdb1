from __future__ import annotations

from presse.markdown import create_markdown, render_body

MD = create_markdown()


def html(text: str) -> str:
    return render_body(MD, text).html


def test_headings_get_unique_french_ids() -> None:
    out = html("## L’été à Noël\n\n## L’été à Noël\n\n### Contenu\n")
    assert '<h2 id="lete-a-noel">' in out
    assert '<h2 id="lete-a-noel-2">' in out
    assert '<h3 id="contenu-2">' in out  # "contenu" is the theme's main landmark


def test_quotation_followed_by_attribution_becomes_a_figure() -> None:
    out = html("> « Nous devons changer. »\n\n– Sam Altman, PDG d’OpenAI\n\nSuite.\n")
    assert out == (
        '<figure class="citation">\n<blockquote>\n<p>«\u202fNous devons changer.\u202f»</p>\n'
        "</blockquote>\n<figcaption>– Sam Altman, PDG d’OpenAI</figcaption>\n</figure>\n"
        "<p>Suite.</p>\n"
    )


def test_attribution_inside_the_blockquote() -> None:
    out = html("> « Une phrase. »\n>\n> — Marc Durand, maire\n")
    assert out == (
        '<figure class="citation">\n<blockquote>\n<p>«\u202fUne phrase.\u202f»</p>\n'
        "</blockquote>\n<figcaption>— Marc Durand, maire</figcaption>\n</figure>\n"
    )


def test_plain_blockquote_and_dash_list_are_left_alone() -> None:
    assert html("> Une citation.\n\nTexte.\n") == (
        "<blockquote>\n<p>Une citation.</p>\n</blockquote>\n<p>Texte.</p>\n"
    )
    assert "<figure" not in html("> Citation.\n\n- un élément de liste\n")
    assert "<figure" not in html("> – Seulement une ligne\n")


def test_typography_applies_to_text_not_code_nor_urls() -> None:
    out = html(
        "Il dit : \"oui\" ! Voir `a:b 'c'` et <https://ex.fr/a?b=1> ou [l'avis](https://ex.fr/l'a?x).\n"
    )
    assert "dit\u00a0: «\u202foui\u202f»\u202f!" in out
    assert "<code>a:b 'c'</code>" in out
    assert '<a href="https://ex.fr/a?b=1">https://ex.fr/a?b=1</a>' in out
    assert '<a href="https://ex.fr/l\'a?x">l’avis</a>' in out


def test_quotes_pair_across_emphasis() -> None:
    assert html('"*vraiment*" dit-il\n') == "<p>«\u202f<em>vraiment</em>\u202f» dit-il</p>\n"


def test_raw_html_is_escaped_by_default_and_allowed_on_request() -> None:
    assert html("<script>alert(1)</script>\n") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    allowed = render_body(create_markdown(allow_html=True), "<aside>x</aside>\n").html
    assert allowed == "<aside>x</aside>\n"


def test_javascript_links_are_not_links() -> None:
    assert "href" not in html("[clic](javascript:alert(1))\n")


def test_lists_emphasis_and_tables() -> None:
    out = html("- *un*\n- **deux**\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<ul>\n<li><em>un</em></li>\n<li><strong>deux</strong></li>\n</ul>" in out
    assert "<table>" in out


def test_body_facts() -> None:
    body = render_body(MD, "Premier paragraphe, *court*.\n\n## Titre\n\nDeux mots.\n")
    assert body.word_count == 6
    assert body.excerpt == "Premier paragraphe, court."
    assert [(h.level, h.text, h.anchor) for h in body.headings] == [(2, "Titre", "titre")]
