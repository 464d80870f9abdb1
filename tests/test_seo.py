from __future__ import annotations

import json

from presse.seo import to_json_ld


def test_json_ld_cannot_close_its_script_element() -> None:
    text = to_json_ld({"headline": "</script><script>alert(1)</script> & «"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["headline"] == "</script><script>alert(1)</script> & «"


def test_several_items_become_a_list() -> None:
    assert json.loads(to_json_ld({"a": 1}, {"b": 2})) == [{"a": 1}, {"b": 2}]
