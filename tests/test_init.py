"""``presse init``: a working site in one command (issue 13)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from presse.config import SiteConfig, parse_config
from presse.init import BUILD, CHECK, INSTALL, starter_files
from tests.conftest import REPO, run_presse

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_init_then_build_then_check_exits_zero(tmp_path: Path) -> None:
    made = run_presse("init", "journal", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    site = tmp_path / "journal"
    built = run_presse("build", cwd=site)
    assert built.returncode == 0, built.stderr
    checked = run_presse("check", cwd=site)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    public = site / "public"
    for page in ("mentions-legales", "a-propos", "contact"):
        assert (public / page / "index.html").is_file()
    first = next(public.glob("*/*/bienvenue-sur-votre-site-dinformation/index.html"))
    assert "Bienvenue sur votre site d’information" in first.read_text("utf-8")
    # What the newsroom must still do is said, and nothing else.
    assert checked.stdout.splitlines() == [
        "presse.toml:1: warning: the legal notice (content/pages/mentions-legales.md) names no"
        " publisher, director of publication or host: fill in name, director and host in the"
        " [legal] table [legal-notice]"
    ]


def test_the_config_lists_every_option_with_its_default() -> None:
    text = starter_files(NOW)["presse.toml"]
    assert parse_config(text) == SiteConfig()
    for name in [f for f in SiteConfig.__dataclass_fields__ if f != "embeds"]:
        assert re.search(rf"^(?:{name} = |\[{name}\]$)", text, re.MULTILINE), name
    assert "# [embeds.ina]" in text  # the one option without a value to write: an example


def test_ci_recipes_are_valid_yaml_and_run_the_readmes_commands() -> None:
    files = starter_files(NOW)
    github = yaml.safe_load(files[".github/workflows/presse.yml"])
    steps = github["jobs"]["build"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs == [INSTALL, BUILD, CHECK]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    # A new key each run (so it can be saved), restored from the latest one.
    assert cache["with"]["path"] == ".presse-cache"
    assert "github.run_id" in cache["with"]["key"]
    assert cache["with"]["restore-keys"] == "presse-"
    gitlab = yaml.safe_load(files[".gitlab-ci.yml"])
    assert gitlab["pages"]["script"] == [INSTALL, BUILD, CHECK]
    assert gitlab["pages"]["cache"]["paths"] == [".presse-cache/"]
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("### Start a site", 1)[1].split("\n## ", 1)[0]
    for command in (INSTALL.replace('"', ""), "presse init journal", BUILD, CHECK):
        assert command in section, command


def test_gitignore_keeps_outputs_and_cache_out_of_git() -> None:
    ignored = starter_files(NOW)[".gitignore"].splitlines()
    assert ignored == ["/public/", "/.public.presse/", "/.presse-cache/"]


def test_init_never_overwrites_a_file(tmp_path: Path) -> None:
    (tmp_path / "presse.toml").write_text('title = "Le Courrier"\n', encoding="utf-8")
    result = run_presse("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "presse.toml").read_text("utf-8") == 'title = "Le Courrier"\n'
    assert "kept presse.toml (already there)" in result.stdout
    again = run_presse("init", cwd=tmp_path)
    assert "created" not in again.stdout
    assert len(again.stdout.splitlines()) == len(starter_files(NOW))


def test_init_refuses_a_file_or_a_missing_parent_and_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run_presse("init", "afile", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, '"afile" is a file, not a folder\n')
    result = run_presse("init", "absent/journal", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == 'cannot create "absent/journal": its parent folder does not exist\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
