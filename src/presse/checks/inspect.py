"""One article file through every article rule. Pure: no I/O.

This is the unit of work :mod:`presse.check` spreads over processes on a large
corpus, so its result is small and picklable: findings plus the facts the corpus
rules need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markdown_it import MarkdownIt

from presse.checks.article_rules import ARTICLE_RULES
from presse.checks.document import ArticleFacts, article_facts, read_document
from presse.checks.findings import Finding, error
from presse.config import SiteConfig
from presse.errors import PresseError
from presse.model import SourceFile


@dataclass(frozen=True, slots=True)
class FileReport:
    findings: tuple[Finding, ...]
    facts: ArticleFacts | None  # None when the frontmatter could not be read at all


def inspect_source(
    source: SourceFile, config: SiteConfig, now: datetime, md: MarkdownIt
) -> FileReport:
    """Run the article rules on one file and collect its facts for the corpus rules."""
    try:
        doc = read_document(source, config, md)
    except PresseError as exc:
        path = source.path.as_posix()
        return FileReport((error(path, exc.line or 1, "frontmatter", exc.message),), None)
    findings = tuple(finding for rule in ARTICLE_RULES for finding in rule(doc))
    return FileReport(findings, article_facts(doc, now))
