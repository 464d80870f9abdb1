"""WordPress's stored text read as WordPress shows it (issue 13): comments, ``wpautop``
paragraphs, shortcodes. Most tests read the result the way presse will, as Markdown."""

from __future__ import annotations

from markdown_it import MarkdownIt

from presse.embeds import builtin_providers
from presse.html_markdown import html_to_markdown
from presse.markdown import create_markdown, render_body
from presse.wp_text import plain_html

PLAIN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
PRESSE = create_markdown(providers=builtin_providers())


def md(html: str) -> str:
    return html_to_markdown(html).markdown


# --- comments and paragraphs ----------------------------------------------------------


def test_gutenberg_block_delimiters_are_removed() -> None:
    html = '<!-- wp:paragraph {"align":"left"} -->\n<p>Un paragraphe.</p>\n<!-- /wp:paragraph -->'
    assert md(html) == "Un paragraphe.\n"


def test_other_html_comments_are_removed() -> None:
    assert md("Avant la coupure.\n\n<!--more-->\n\nAprès la coupure.") == (
        "Avant la coupure.\n\nAprès la coupure.\n"
    )


def test_classic_text_separated_by_blank_lines_becomes_paragraphs() -> None:
    html = "Premier paragraphe.\n\nDeuxième paragraphe.\n\n<h2>Un titre</h2>\nTroisième."
    assert md(html) == "Premier paragraphe.\n\nDeuxième paragraphe.\n\n## Un titre\n\nTroisième.\n"


def test_a_single_line_break_in_a_classic_paragraph_is_a_space() -> None:
    html = (
        "Le chantier a coûté 2,4 millions d’euros, financés à 40 % par la région.\n"
        "La facture finale dépasse de 12 % le devis initial."
    )
    assert md(html) == (
        "Le chantier a coûté 2,4 millions d’euros, financés à 40 % par la région. "
        "La facture finale dépasse de 12 % le devis initial.\n"
    )


def test_short_lines_keep_their_breaks() -> None:
    html = "Mairie de Plouzévan\n1, place de l’Église\n29870 Plouzévan"
    markdown = md(html)
    assert markdown == "Mairie de Plouzévan\\\n1, place de l’Église\\\n29870 Plouzévan\n"
    assert PLAIN.render(markdown).count("<br />") == 2


def test_preformatted_text_keeps_its_lines_and_blank_lines() -> None:
    html = "Voici le code :\n\n<pre>ligne un\n\nligne trois</pre>"
    assert md(html) == "Voici le code :\n\n```\nligne un\n\nligne trois\n```\n"


def test_block_content_is_never_wrapped_by_autop() -> None:
    markdown = md("<ul>\n\t<li>un</li>\n\t<li>deux</li>\n</ul>\n\nSuite.")
    assert markdown == "- un\n- deux\n\nSuite.\n"


# --- captions -------------------------------------------------------------------------


def test_caption_shortcode_becomes_an_image_with_its_caption() -> None:
    html = (
        '[caption id="attachment_12" align="aligncenter" width="800"]<img src="https://exemple.fr'
        '/wp-content/uploads/2024/03/marche-1024x683.jpg" alt="Les étals" width="800" '
        'height="533" class="size-large wp-image-12" /> Légende du photographe[/caption]'
    )
    converted = html_to_markdown(html)
    assert converted.markdown == (
        "![Les étals](https://exemple.fr/wp-content/uploads/2024/03/marche-1024x683.jpg"
        ' "Légende du photographe")\n'
    )
    src = "https://exemple.fr/wp-content/uploads/2024/03/marche-1024x683.jpg"
    assert converted.images == ((src, "Les étals", "Légende du photographe"),)


def test_caption_given_as_an_attribute() -> None:
    html = '[caption id="attachment_3" caption="Le port"]<img src="/p.jpg" alt="Port" />[/caption]'
    assert md(html) == '![Port](/p.jpg "Le port")\n'


# --- embeds ---------------------------------------------------------------------------


def test_embed_shortcode_becomes_the_url_alone() -> None:
    markdown = md("Avant.\n\n[embed]https://www.youtube.com/watch?v=Kx3pQ9vLm2A[/embed]\n\nAprès.")
    assert markdown == "Avant.\n\nhttps://www.youtube.com/watch?v=Kx3pQ9vLm2A\n\nAprès.\n"
    assert render_body(PRESSE, markdown).embeds == 1


def test_a_provider_url_alone_on_its_line_is_an_embed() -> None:
    html = "Regardez :\nhttps://vimeo.com/76979871\nEt lisez la suite."
    assert md(html) == "Regardez :\n\nhttps://vimeo.com/76979871\n\nEt lisez la suite.\n"


def test_another_url_alone_on_its_line_stays_text() -> None:
    assert md("Source :\n\nhttps://exemple.fr/rapport_2024.pdf") == (
        "Source :\n\nhttps://exemple.fr/rapport\\_2024.pdf\n"
    )


# --- shortcodes -----------------------------------------------------------------------


def test_unknown_shortcodes_are_removed_and_listed() -> None:
    converted = html_to_markdown(
        'Avant.\n\n[gallery ids="1,2"]\n\n[contact-form-7 id="5" title="Contact"]\n\nAprès.'
    )
    assert converted.markdown == "Avant.\n\nAprès.\n"
    assert converted.dropped == (
        'shortcode [gallery ids="1,2"] removed',
        'shortcode [contact-form-7 id="5" title="Contact"] removed',
    )


def test_an_enclosing_shortcode_keeps_its_content() -> None:
    converted = html_to_markdown('[su_box title="Encadré"]Le texte de l’encadré.[/su_box]')
    assert converted.markdown == "Le texte de l’encadré.\n"
    assert converted.dropped == ('shortcode [su_box title="Encadré"] removed',)


def test_a_doubled_bracket_shortcode_is_text() -> None:
    converted = html_to_markdown("Écrivez [[gallery]] pour une galerie.")
    assert converted.markdown == "Écrivez \\[gallery\\] pour une galerie.\n"
    assert converted.dropped == ()


def test_a_bracketed_word_that_is_no_shortcode_is_text() -> None:
    assert md("Il a dit [sic] et [NDLR : le maire] puis [1].") == (
        "Il a dit \\[sic\\] et \\[NDLR : le maire\\] puis \\[1\\].\n"
    )


# --- the HTML it gives ------------------------------------------------------------------


def test_plain_html_gives_paragraphs_and_lists_the_shortcodes_it_removed() -> None:
    plain = plain_html('Avant.\n\n[gallery ids="1,2"]\n\nAprès.', builtin_providers())
    assert plain.html == "<p>Avant.</p>\n<p>Après.</p>"
    assert plain.dropped == ('shortcode [gallery ids="1,2"] removed',)


def test_a_caption_becomes_a_figure_with_its_attachment_id() -> None:
    html = '[caption id="attachment_12"]<img src="/p.jpg" alt="Port" /> Le port[/caption]'
    assert plain_html(html, builtin_providers()).html == (
        '<figure data-attachment="12"><img src="/p.jpg" alt="Port" />\n'
        "<figcaption>Le port</figcaption>\n</figure>"
    )


def test_a_provider_url_alone_on_its_line_is_marked_as_an_embed() -> None:
    plain = plain_html("Regardez :\nhttps://vimeo.com/76979871\nEt lisez.", builtin_providers())
    assert '<div data-presse-embed="https://vimeo.com/76979871"></div>' in plain.html


def test_text_with_block_delimiters_gets_no_wpautop() -> None:
    html = "<!-- wp:paragraph -->\n<p>Un.</p>\n<!-- /wp:paragraph -->\n\nDeux"
    assert plain_html(html, builtin_providers()).html.split() == ["<p>Un.</p>", "Deux"]
