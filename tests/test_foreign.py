from __future__ import annotations

from presse.foreign import find_foreign, strip_foreign


def test_shortcodes_and_liquid_are_found_outside_code() -> None:
    text = (
        '{{< figure src="a.png" >}} {{% notice info %}} {% include video.html id="x" %}'
        ' {{ site.baseurl }} {{ "/a" | relative_url }} `{{< not this >}}` {{< /notice >}}'
    )
    found = find_foreign(text)
    assert [(f.kind, f.name) for f in found] == [
        ("Hugo shortcode", "figure"),
        ("Hugo shortcode", "notice"),
        ("Liquid", "include"),
        ("Liquid", "site.baseurl"),
        ("Liquid", ""),
        ("Hugo shortcode", "notice"),
    ]
    assert found[0].advice() == "write the image as ![description](address)"


def test_stripping_keeps_code_and_text_that_is_not_template_syntax() -> None:
    text = "Voir `{% raw %}` et {{ 7*7 }}, {x}, {% raw %}fin."
    assert strip_foreign(text)[0] == "Voir `{% raw %}` et {{ 7*7 }}, {x}, fin."
    assert strip_foreign("``a ` {{< b >}}`` {{< c >}}")[0] == "``a ` {{< b >}}`` "
    assert strip_foreign("sans accolade")[1] == []
