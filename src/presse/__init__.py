"""presse: a static site generator for French-language news publishing."""

__version__ = "0.1.0"
