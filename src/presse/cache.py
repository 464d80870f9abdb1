"""Parse cache: an article is parsed once per distinct input.

The key is a digest of everything that affects a parsed article: the file's path and
text, the site config and the presse version. A hit is therefore always safe; no
dependency graph can go stale. The dev server keeps one in memory across rebuilds, so
an edit to one article re-parses that article only.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from presse import __version__
from presse.config import SiteConfig
from presse.model import Article, SourceFile


@dataclass
class ParseCache:
    """Parsed articles by input digest; counts hits and misses for reports and tests."""

    entries: dict[str, Article] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0

    def key(self, source: SourceFile, config: SiteConfig) -> str:
        digest = hashlib.blake2b(digest_size=20)
        for part in (__version__, repr(config), source.path.as_posix(), source.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()

    def get(self, key: str) -> Article | None:
        article = self.entries.get(key)
        if article is None:
            self.misses += 1
        else:
            self.hits += 1
        return article

    def put(self, key: str, article: Article) -> None:
        self.entries[key] = article

    def retain(self, keys: set[str]) -> None:
        """Forget entries not used by the last build, so memory tracks the corpus."""
        for key in self.entries.keys() - keys:
            del self.entries[key]
