"""The rules of ``presse check``, the editorial linter.

Every module here is pure (no I/O): :mod:`presse.check` reads the site and hands
the rules what they need. Rules come in two kinds, each listed in one registry:

* article rules (:data:`presse.checks.article_rules.ARTICLE_RULES`) look at one
  file at a time, so they run in parallel on a large corpus;
* corpus rules (:data:`presse.checks.corpus_rules.CORPUS_RULES`) compare articles
  with each other and with the URLs the build would produce.
"""
