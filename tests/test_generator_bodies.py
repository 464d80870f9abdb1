"""Template code in imported bodies (presse.generator_bodies): converted where its
meaning is clear, reported with its line in the file either way."""

from __future__ import annotations

from pathlib import Path

from presse.generator_bodies import convert_body, template_summary
from tests.test_generators import hugo, jekyll


def test_a_body_stays_as_written(tmp_path: Path) -> None:
    body = "Un *texte* avec <b>du HTML</b>,\n\n    du code\n\net une [note][1].\n\n[1]: /x\n"
    assert jekyll(tmp_path, "title: T\n", body=body).body == body


def test_hugo_video_and_post_shortcodes_become_their_addresses(tmp_path: Path) -> None:
    body = (
        'Avant.\n\n{{< youtube dQw4w9WgXcQ >}}\n\n{{< youtube id="abcdefghijk" >}}\n\n'
        '{{< vimeo 76979871 >}}\n\n{{< tweet user="mairie" id="123" >}}\n\n'
        '{{< x user="presse" id="456" >}}\n'
    )
    item = hugo(tmp_path, 'title = "T"\ndate = 2024-01-01\n', body=body)
    assert item.body == (
        "Avant.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
        "https://www.youtube.com/watch?v=abcdefghijk\n\nhttps://vimeo.com/76979871\n\n"
        "https://x.com/mairie/status/123\n\nhttps://x.com/presse/status/456\n"
    )
    assert (
        "line 7: Hugo shortcode {{< youtube dQw4w9WgXcQ >}} → "
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in item.recognised
    )
    assert not [line for line in item.dropped if "shortcode" in line]


def test_a_video_shortcode_among_words_is_reported_not_moved(tmp_path: Path) -> None:
    item = hugo(
        tmp_path,
        'title = "T"\ndate = 2024-01-01\n',
        body="Voyez {{< youtube abcdefghijk >}} ici.\n",
    )
    assert item.body == "Voyez {{< youtube abcdefghijk >}} ici.\n"
    assert item.dropped[-1] == (
        "line 5: Hugo shortcode {{< youtube abcdefghijk >}}"
        " (put the video's URL on a line of its own)"
    )


def test_hugo_figure_becomes_a_markdown_image(tmp_path: Path) -> None:
    body = (
        '{{< figure src="/img/a.jpg" alt="Le port" caption="Le port, au \\"matin\\"" >}}\n\n'
        '{{< figure src="b c.jpg" caption="Le <em>soir</em>" >}}\n'
    )
    item = hugo(tmp_path, 'title = "T"\ndate = 2024-01-01\n', body=body)
    assert item.body == (
        '![Le port](/img/a.jpg "Le port, au \\"matin\\"")\n\n![Le soir](<b c.jpg> "Le soir")\n'
    )
    assert (
        'line 7: image "b c.jpg" has no alt text: the caption stands in, to review' in item.dropped
    )


def test_an_unknown_shortcode_is_reported_with_its_line(tmp_path: Path) -> None:
    body = "Un.\n\n{{< notice info >}}\nAttention.\n{{< /notice >}}\n"
    item = hugo(tmp_path, 'title = "T"\ndate = 2024-01-01\n', body=body)
    assert item.body == body
    assert item.dropped == (
        "line 7: Hugo shortcode {{< notice info >}} (left out of the published page)",
        "line 9: Hugo shortcode {{< /notice >}} (left out of the published page)",
    )


def test_template_code_in_code_is_left_alone(tmp_path: Path) -> None:
    body = 'On écrit `{{< youtube x >}}` ou :\n\n```\n{% include video.html id="abc" %}\n```\n'
    item = jekyll(tmp_path, "title: T\n", body=body)
    assert item.body == body and item.dropped == ()
    assert item.recognised[-1].startswith("old address")


def test_liquid_highlight_becomes_a_fenced_code_block(tmp_path: Path) -> None:
    body = "Le code :\n\n{% highlight python linenos %}\nprint('```')\n{% endhighlight %}\n"
    item = jekyll(tmp_path, "title: T\n", body=body)
    assert item.body == "Le code :\n\n````python\nprint('```')\n````\n"
    assert item.recognised == (
        "old address /2024/03/05/mon-article.html kept as an alias",
        "lines 6–8: Liquid tag {% highlight python linenos %} → code block ````python",
    )


def test_hugo_highlight_becomes_a_fenced_code_block(tmp_path: Path) -> None:
    body = '{{< highlight go "linenos=table" >}}\nfmt.Println("{{ x }}")\n{{< /highlight >}}\n'
    item = hugo(tmp_path, 'title = "T"\ndate = 2024-01-01\n', body=body)
    assert item.body == '```go\nfmt.Println("{{ x }}")\n```\n'
    assert item.dropped == ()  # what was inside is code now, not template code


def test_liquid_raw_is_removed_and_comment_hidden(tmp_path: Path) -> None:
    body = "{% raw %}\nÀ garder.\n{% endraw %}\n{% comment %}note{% endcomment %}\n"
    item = jekyll(tmp_path, "title: T\n", body=body)
    assert item.body == "À garder.\n<!--note-->\n"


def test_liquid_video_includes_with_an_explicit_id(tmp_path: Path) -> None:
    body = (
        '{% include youtube.html id="dQw4w9WgXcQ" %}\n\n'
        "{% include video/vimeo.html id='76979871' %}\n\n"
        "{% include youtube.html id=page.video %}\n"
    )
    item = jekyll(tmp_path, "title: T\n", body=body)
    assert item.body.split("\n\n") == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
        "{% include youtube.html id=page.video %}\n",  # a variable: not explicit
    ]
    assert item.dropped[-1].startswith(
        "line 8: Liquid tag {% include youtube.html id=page.video %}"
    )


def test_liquid_plugin_tags_and_old_tweet_shortcodes(tmp_path: Path) -> None:
    body = (
        "{% youtube dQw4w9WgXcQ %}\n\n{% twitter https://twitter.com/etalab/status/99 %}\n\n"
        "{% twitter https://exemple.org/x %}\n"
    )
    item = jekyll(tmp_path / "a", "title: T\n", body=body)
    assert item.body == (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nhttps://twitter.com/etalab/status/99\n\n"
        "{% twitter https://exemple.org/x %}\n"
    )
    old = hugo(tmp_path / "b", 'title = "T"\ndate = 2024-01-01\n', body="{{< tweet 1234 >}}\n")
    assert old.body == "https://x.com/i/status/1234\n"


def test_liquid_base_urls_in_link_targets_become_plain_paths(tmp_path: Path) -> None:
    body = (
        "[Un]({{ site.baseurl }}/a/) [deux]({{ '/b/' | relative_url }}) "
        '<a href="{{site.url}}{{ site.baseurl }}/c/">trois</a>\n\n'
        '[q]: {{ "d/" | absolute_url }}\n\nLe site : {{ site.url }}\n'
    )
    item = jekyll(tmp_path, "title: T\n", body=body)
    assert item.body == (
        '[Un](/a/) [deux](/b/) <a href="/c/">trois</a>\n\n[q]: /d/\n\nLe site : {{ site.url }}\n'
    )
    assert item.dropped[-1] == (
        "line 8: Liquid tag {{ site.url }}"
        " (remove it: an address starting with / is the site's own)"
    )


def test_lines_count_from_the_body_s_first_line_in_the_file() -> None:
    """What to write instead is presse.foreign's advice, as ``presse check`` gives it."""
    converted = convert_body("Un.\n\n{{< gist lea 42 >}}\n", 12, "T")
    assert converted.text == "Un.\n\n{{< gist lea 42 >}}\n"
    assert converted.dropped == (
        "line 14: Hugo shortcode {{< gist lea 42 >}}"
        " (copy the code into a fenced code block, or link to the gist)",
    )
    assert converted.counts == {"Hugo shortcode left out": 1}


def test_the_summary_counts_each_kind_of_template_code() -> None:
    counts = {"Hugo shortcode left out": 1, "Liquid tag converted": 10}
    assert template_summary(counts) == ["10 Liquid tags converted", "1 Hugo shortcode left out"]
