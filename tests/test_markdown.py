from __future__ import annotations

from presse.markdown import create_markdown, render_body, render_chapo

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


def test_raw_html_is_cleaned_by_default() -> None:
    """The safe subset stays, comments and scripts go, other tags lose their markup."""
    out = html(
        "<!-- note de la rédaction -->\n\n"
        'Le CO<sub>2</sub> et l’<abbr title="Organisation des Nations unies">ONU</abbr>'
        ' <!-- à vérifier --> <span onclick="x()">ici</span> <script>alert(1)</script>\n\n'
        '<div class="alerte" style="color:red"><img src="/a.jpg" alt="Vue" onerror="x()"></div>\n'
    )
    assert "note de la rédaction" not in out and "vérifier" not in out and "<!--" not in out
    assert "CO<sub>2</sub>" in out
    assert '<abbr title="Organisation des Nations unies">ONU</abbr>' in out
    assert "<span>ici</span>" in out and "onclick" not in out
    assert "script" not in out and "alert" not in out
    assert '<div><img src="/a.jpg" alt="Vue"></div>' in out


def test_a_body_without_raw_html_is_not_cleaned() -> None:
    """markdown-it's own output is kept byte for byte (the sanitizer would re-serialise)."""
    text = 'Il a dit "non" & < 3 fois.\n'
    assert html(text) == "<p>Il a dit «\u202fnon\u202f» &amp; &lt; 3 fois.</p>\n"


def test_html_levels_none_and_all() -> None:
    text = "<aside>x</aside>\n\nUn <b>mot</b> <!-- c -->.\n"
    none = render_body(create_markdown(html="none"), text).html
    assert none == "<p>Un mot .</p>\n"
    everything = render_body(create_markdown(html="all"), text).html
    assert everything == "<aside>x</aside>\n<p>Un <b>mot</b> <!-- c -->.</p>\n"


def test_unsafe_urls_in_raw_html_are_dropped() -> None:
    out = html(
        '<a href="javascript:alert(1)">a</a> <a href="java\tscript:x">b</a> <a href="/ok">c</a>\n'
    )
    assert "javascript" not in out and "java\tscript" not in out
    assert '<a href="/ok">c</a>' in out


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


def test_a_quotation_that_starts_or_ends_with_code_is_spaced_like_words() -> None:
    out = html('"`Célibataire` is not a status", dit-il. Tapez "make `all`".\n')
    assert "«\u202f<code>Célibataire</code> is not a status\u202f», dit-il." in out
    assert "«\u202fmake <code>all</code>\u202f»." in out


def test_a_line_break_is_a_space_to_the_typography() -> None:
    out = html("Est-ce toujours actuelle?\nLes Lumières sont passées.\n")
    assert out == "<p>Est-ce toujours actuelle\u202f?\nLes Lumières sont passées.</p>\n"


def test_the_typography_follows_the_article_language() -> None:
    text = 'He said "no" : it\'s over !\n'
    assert render_body(MD, text, language="en").html == "<p>He said “no”: it’s over!</p>\n"
    french = render_body(MD, text).html
    assert french == "<p>He said «\u202fno\u202f»\u00a0: it’s over\u202f!</p>\n"
    quebec = render_body(MD, "Vraiment ? Oui : « non ».\n", language="fr_CA").html
    assert quebec == "<p>Vraiment? Oui\u00a0: «\u00a0non\u00a0».</p>\n"


def test_a_chapo_keeps_its_links_and_emphasis_and_has_a_plain_text() -> None:
    html_chapo, plain = render_chapo(MD, "Selon [l'Insee](https://insee.fr/), *tout* va : bien")
    assert html_chapo == (
        'Selon <a href="https://insee.fr/">l’Insee</a>, <em>tout</em> va\u00a0: bien'
    )
    assert plain == "Selon l’Insee, tout va\u00a0: bien"
    assert render_chapo(MD, "Un chapô sans balisage : simple.") == (
        "",
        "Un chapô sans balisage\u00a0: simple.",
    )


def test_every_url_in_raw_html_is_a_valid_url() -> None:
    out = html('<a href="/archives/été 2025">x</a> <img src="/images/ma photo.jpg" alt="y">\n')
    assert 'href="/archives/%C3%A9t%C3%A9%202025"' in out
    assert 'src="/images/ma%20photo.jpg"' in out


def test_an_image_from_another_site_waits_for_the_reader() -> None:
    out = html(
        "Voici ![La place](https://photos.example/place.jpg) et [![logo](https://x.example/l.png)](/a).\n"
    )
    assert "<img" not in out
    assert 'data-remote-src="https://photos.example/place.jpg"' in out
    assert '<span class="remote-image remote-image--linked">logo</span>' in out
    raw = html('<p><img src="https://photos.example/a.jpg" alt="A"></p>\n')
    assert "<img" not in raw and 'data-remote-src="https://photos.example/a.jpg"' in raw


def test_headings_never_skip_a_level() -> None:
    out = html("#### Premier\n\n## Deuxième\n\n#### Troisième\n\n# Quatrième\n")
    assert [line[:4] for line in out.splitlines()] == ["<h2 ", "<h2 ", "<h3 ", "<h2 "]


def test_headings_are_read_back_from_the_html_with_their_text_and_anchor() -> None:
    body = render_body(MD, "Intro.\n\n## L'*été* & les «autres»\n\nTexte.\n\n### Suite\n")
    assert [(h.level, h.text, h.anchor) for h in body.headings] == [
        (2, "L’été & les «\u202fautres\u202f»", "lete-les-autres"),
        (3, "Suite", "suite"),
    ]


def test_without_an_excerpt_the_first_paragraph_is_not_kept() -> None:
    body = render_body(MD, "Premier paragraphe.\n\nSecond.\n", excerpt=False)
    assert body.excerpt == "" and "Premier paragraphe." in body.html
