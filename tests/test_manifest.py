"""A tree's manifest: a mapping of output paths, held as sorted rows."""

from __future__ import annotations

import hashlib
import pickle
import random
import sys

from presse import manifest as manifest_module
from presse.manifest import Entry, Manifest


def key(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def test_entries_read_back_as_written() -> None:
    digest, stamp_key = key(b"page"), "static:12:345:/theme/site.css"
    front = Manifest()
    front["a.html"] = (digest, 120, 1_700_000_000_123_456_789)
    front["site.css"] = (stamp_key, 12, 345)  # not a digest: kept as it is
    front["doubt.html"] = None
    back = Manifest({"A.HTML": (digest.upper(), 1, 2)})  # read back exactly, not lowered
    back["a.html"] = front["a.html"]
    assert front["a.html"] == back["a.html"] == (digest, 120, 1_700_000_000_123_456_789)
    assert back["A.HTML"] == (digest.upper(), 1, 2)
    assert front.key("site.css") == stamp_key and front.stamp("site.css") == (12, 345)
    assert front.key("doubt.html") is None and "doubt.html" in front
    assert front.key("gone.html") is None and front.get("gone.html", "x") == "x"
    assert front.stamp("doubt.html") is None and 3 not in front  # type: ignore[comparison-overlap]
    again = pickle.loads(pickle.dumps(front))
    assert dict(again) == dict(front) and len(again) == 3
    assert front.known() == {"a.html": front["a.html"], "site.css": front["site.css"]}


def test_behaves_as_a_dict_through_any_mix_of_changes() -> None:
    """Against a dict, through enough changes to merge the rows many times: paths new and
    old, entries that fit a row and some that do not, unknown files, deletions, paths
    marked unknown in bulk, and a copy through the state file's parts."""
    chance = random.Random(14)
    paths = [f"{chance.randrange(40)}/{n}/index.html" for n in range(12_000)]
    held, expected = Manifest(), dict[str, Entry | None]()

    def entry() -> Entry | None:
        roll = chance.random()
        if roll < 0.1:
            return None
        if roll < 0.15:
            return (f"static:{chance.randrange(99)}", chance.randrange(9), 1)
        return (key(str(chance.random()).encode()), chance.randrange(10**6), 1 << 62)

    for step in range(30_000):
        path = chance.choice(paths)
        if step % 5000 == 4999:
            some = chance.sample(paths, 3000)
            held.mark_unknown(some)
            expected.update(dict.fromkeys(some))
        elif chance.random() < 0.1 and path in expected:
            del held[path]
            del expected[path]
        else:
            value = entry()
            held[path] = value
            expected[path] = value
        assert len(held) == len(expected)
    assert dict(held) == expected and sorted(held) == sorted(expected)
    assert all(held.get(path, "absent") == expected.get(path, "absent") for path in paths)
    stored = Manifest.of_parts(held.parts(1000))
    assert dict(stored) == expected
    assert {id(path) for path in stored} <= {id(sys.intern(path)) for path in expected}


def test_an_entry_costs_a_row_not_objects() -> None:
    """100 000 outputs marked, then written: a row of 33 bytes and a list slot each, not
    a dict entry and an object (0.2 KB an output before)."""
    paths = [f"2025/{n % 12:02d}/article-{n}/index.html" for n in range(100_000)]
    held = Manifest()
    held.mark_unknown(paths)
    for number, path in enumerate(paths):
        held[path] = (key(path.encode()), number, 1_700_000_000_000_000_000)
    assert not held._more and len(held) == len(paths)
    cost = sys.getsizeof(held._rows) + sys.getsizeof(held._paths)
    assert cost / len(paths) < 46
    assert manifest_module._WIDTH == 33


def test_what_does_not_fit_a_row_is_kept_whole() -> None:
    """A static file's stamp, and a file of 4 GiB or more: in the dict, read back."""
    held = Manifest()
    held.mark_unknown(["big.bin", "site.css", "a.html"])
    big, stamp = (key(b"big"), 1 << 33, 1), ("static:1:2:/site.css", 1, 2)
    held["big.bin"], held["site.css"] = big, stamp
    held["a.html"] = (key(b"a"), (1 << 32) - 1, -5)
    assert set(held._more) == {"big.bin", "site.css"}
    assert dict(Manifest.of_parts(held.parts(2))) == {
        "big.bin": big,
        "site.css": stamp,
        "a.html": (key(b"a"), (1 << 32) - 1, -5),
    }


def test_sorted_numbers_sort_a_run_at_a_time() -> None:
    """More strings than one run: merged runs give what one sort gives, equal strings by
    number."""
    chance = random.Random(3)
    strings = [f"{chance.randrange(5000)}/index.html" for _ in range(150_000)]
    order = manifest_module.sorted_numbers(strings)
    assert list(order) == sorted(range(len(strings)), key=lambda n: (strings[n], n))
    assert len(manifest_module.sorted_numbers([])) == 0


def test_a_manifest_started_from_a_plan_holds_its_paths_by_number() -> None:
    """A build into an empty tree: the plan's paths, by number (four bytes a path, no
    string of its own); entries given by number or by path; it behaves as one built path
    by path, through changes, a copy of its entries and the state file's parts."""
    column = tuple(f"2025/{n % 7:02d}/article-{n}/index.html" for n in range(20_000))
    order = manifest_module.sorted_numbers(column)
    started, expected = Manifest(), Manifest()
    started.start(column, order)
    expected.mark_unknown(column)
    assert dict(started) == dict(expected) and list(started) == list(expected)
    assert isinstance(started._paths, manifest_module.SortedView)
    assert sys.getsizeof(started._paths.order) / len(column) < 4.1
    for number in range(0, len(column), 3):
        entry = (key(column[number].encode()), number, 7)
        started.put(column, number, entry)
        expected[column[number]] = entry
    started["2025/00/article-0/index.html"] = None  # by path: found among the view's
    expected["2025/00/article-0/index.html"] = None
    started.put(list(column), 1, (key(b"other"), 1, 1))  # another column: by its path
    expected[column[1]] = (key(b"other"), 1, 1)
    del started[column[4]], expected[column[4]]
    started["new.html"] = expected["new.html"] = (key(b"new"), 1, 1)
    assert dict(started) == dict(expected) and len(started) == len(expected)
    known = started.known()
    assert isinstance(known._paths, manifest_module.SortedView)
    assert dict(known) == dict(expected.known())
    assert dict(Manifest.of_parts(started.parts(1000))) == dict(expected)
    kept = started.known()
    kept.own_paths()  # kept in memory for later builds: strings of its own, interned
    assert isinstance(kept._paths, list) and dict(kept) == dict(expected.known())
    assert all(path is sys.intern(path) for path in kept._paths)
    started.mark_unknown(column[:50])  # merged: the paths become its own
    expected.mark_unknown(column[:50])
    assert dict(started) == dict(expected)


def test_a_copy_of_entries_shares_the_rows_until_either_changes() -> None:
    """No row unknown (a tree just published, a static file's entry in the dict): the
    copy holds the same rows; a change to either, by path or by number, leaves the other
    as it was."""
    column = tuple(f"{n % 5}/page-{n}/index.html" for n in range(500))
    original = Manifest()
    original.start(column, manifest_module.sorted_numbers(column))
    for number in range(len(column)):
        original.put(column, number, (key(column[number].encode()), number, 1))
    original.put(column, 7, ("static:1:2:/x.css", 1, 2))  # not a row: in the dict
    before = dict(original)
    copy = original.known()
    assert copy._rows is original._rows and dict(copy) == before
    copy.put(column, 3, (key(b"changed"), 3, 3))
    del copy[column[4]]
    assert dict(original) == before and copy[column[3]] == (key(b"changed"), 3, 3)
    again = original.known()
    original[column[5]] = None
    assert dict(again) == before and original[column[5]] is None
    assert column[4] not in copy and len(copy) == len(column) - 1
