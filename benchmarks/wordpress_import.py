"""Benchmark ``presse import`` of a WordPress export: the time and the memory it takes to
read a large WXR file into presse items.

    python benchmarks/wordpress_import.py                  # 20 000 posts, about 100 MB
    python benchmarks/wordpress_import.py --posts 100000   # about 500 MB
    python benchmarks/wordpress_import.py --posts 2000 --posts 20000

The export is generated in a temporary folder (and removed): posts of about 5 kB of
French text as Gutenberg writes them (paragraphs, a heading, a list, a quotation with
its author, an image with its caption, now and then a YouTube embed and a shortcode),
two comments each, one attachment for every post, listed after all the posts as a
WordPress export does for media added later. Everything comes from seeded random
numbers: the same file on every machine.

The import runs in a child process, so that its peak memory is its own: every item is
read, converted and written out as presse's file text (nothing is written to disk), as
``presse import`` does before it copies files. Prints one Markdown table: the file's
size, the wall time, the child's peak resident set (``resource.getrusage``) and posts a
second. Compare ratios, not absolute times: machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SITE = "https://banc.example"
SEED = 13

TEXT = (
    "le conseil municipal a voté jeudi soir le budget de la commune après un long débat"
    " sur la rénovation de l’école et du port les habitants du quartier réclament depuis"
    " des mois une piste cyclable entre le bourg et la plage le maire a promis des travaux"
    " avant l’été tandis que l’opposition dénonce un projet trop coûteux pour les finances"
    " locales la fête de la mer a réuni des milliers de visiteurs sur les quais malgré la"
    " pluie les commerçants du marché couvert saluent une saison record et espèrent une"
    " ouverture le dimanche"
)
WORDS = TEXT.split()

HEAD = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Banc d’essai</title>
	<link>{SITE}</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{SITE}</wp:base_site_url>
	<wp:base_blog_url>{SITE}</wp:base_blog_url>
"""

CHILD = """\
import resource, sys, time
from pathlib import Path
from presse.config import SiteConfig
from presse.imports import file_text
from presse.wordpress import WordPressExport
start = time.perf_counter()
source = WordPressExport(Path(sys.argv[1]), SiteConfig())
count = sum(1 for item in source.items() if file_text(item))
source.summary()
print(count, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    return (" ".join(words).capitalize() + rng.choice((".", ".", " !", " ?"))).replace(" ,", ",")


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(2, 3)))
    return f"<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->\n\n"


def body(rng: random.Random, number: int, attachment: int) -> str:
    parts = [paragraph(rng) for _ in range(3)]
    parts.append(
        f'<!-- wp:image {{"id":{attachment}}} -->\n<figure class="wp-block-image size-large">'
        f'<img src="{SITE}/wp-content/uploads/2024/03/photo-{number}-1024x683.jpg" alt="" '
        f'class="wp-image-{attachment}"/><figcaption>{sentence(rng)}</figcaption></figure>\n'
        "<!-- /wp:image -->\n\n"
    )
    parts.append(
        f"<!-- wp:heading -->\n<h2>{sentence(rng).rstrip('.!? ')}</h2>\n<!-- /wp:heading -->\n\n"
    )
    parts += [paragraph(rng) for _ in range(2)]
    items = "".join(f"<li>{sentence(rng)}</li>" for _ in range(3))
    parts.append(f'<!-- wp:list -->\n<ul class="wp-block-list">{items}</ul>\n<!-- /wp:list -->\n\n')
    parts.append(
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><p>'
        f"{sentence(rng)}</p><cite>Marie Dupont, maire</cite></blockquote>\n<!-- /wp:quote -->\n\n"
    )
    if number % 5 == 0:
        url = f"https://www.youtube.com/watch?v={number:011d}"
        parts.append(
            f'<!-- wp:embed {{"url":"{url}","type":"video","providerNameSlug":"youtube"}} -->\n'
            '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-'
            f'youtube"><div class="wp-block-embed__wrapper">\n{url}\n</div></figure>\n'
            "<!-- /wp:embed -->\n\n"
        )
    if number % 7 == 0:
        parts.append('<!-- wp:shortcode -->\n[gallery ids="1,2,3"]\n<!-- /wp:shortcode -->\n\n')
    parts.append(paragraph(rng))
    return "".join(parts)


def post(rng: random.Random, number: int, attachment: int) -> str:
    day = 1 + number % 28
    comments = "".join(
        f"""
		<wp:comment>
			<wp:comment_id>{number * 10 + c}</wp:comment_id>
			<wp:comment_author><![CDATA[Lecteur {c}]]></wp:comment_author>
			<wp:comment_date_gmt><![CDATA[2024-03-{day:02d} 12:00:00]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[{sentence(rng)}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
		</wp:comment>"""
        for c in range(2)
    )
    return f"""
	<item>
		<title><![CDATA[{sentence(rng).rstrip(".!? ")} {number}]]></title>
		<link>{SITE}/2024/03/{day:02d}/article-{number}/</link>
		<pubDate>Tue, {day:02d} Mar 2024 10:15:00 +0000</pubDate>
		<dc:creator><![CDATA[redaction]]></dc:creator>
		<guid isPermaLink="false">{SITE}/?p={number}</guid>
		<description></description>
		<content:encoded><![CDATA[{body(rng, number, attachment)}]]></content:encoded>
		<excerpt:encoded><![CDATA[{sentence(rng)}]]></excerpt:encoded>
		<wp:post_id>{number}</wp:post_id>
		<wp:post_date><![CDATA[2024-03-{day:02d} 11:15:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2024-03-{day:02d} 10:15:00]]></wp:post_date_gmt>
		<wp:post_modified><![CDATA[2024-03-{day:02d} 11:15:00]]></wp:post_modified>
		<wp:post_modified_gmt><![CDATA[2024-03-{day:02d} 10:15:00]]></wp:post_modified_gmt>
		<wp:post_name><![CDATA[article-{number}]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<category domain="category" nicename="vie-locale"><![CDATA[Vie locale]]></category>
		<category domain="post_tag" nicename="port"><![CDATA[port]]></category>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key>
			<wp:meta_value><![CDATA[{attachment}]]></wp:meta_value>
		</wp:postmeta>{comments}
	</item>"""


def attachment(number: int, post_number: int) -> str:
    url = f"{SITE}/wp-content/uploads/2024/03/photo-{post_number}.jpg"
    return f"""
	<item>
		<title><![CDATA[Photo {post_number}]]></title>
		<guid isPermaLink="false">{url}</guid>
		<excerpt:encoded><![CDATA[Le port, un matin de mars.]]></excerpt:encoded>
		<wp:post_id>{number}</wp:post_id>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_parent>{post_number}</wp:post_parent>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[{url}]]></wp:attachment_url>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
			<wp:meta_value><![CDATA[Le port de Plouzévan au lever du jour]]></wp:meta_value>
		</wp:postmeta>
	</item>"""


def write_export(path: Path, posts: int) -> None:
    """The export, written as it is made: this process stays small."""
    rng = random.Random(SEED)
    offset = 10 * posts + 100  # attachment ids after every post's and comment's
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        out.write(
            "\t<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[redaction]]>"
            "</wp:author_login><wp:author_display_name><![CDATA[La rédaction]]>"
            "</wp:author_display_name></wp:author>\n"
        )
        for number in range(1, posts + 1):
            out.write(post(rng, number, offset + number))
        for number in range(1, posts + 1):
            out.write(attachment(offset + number, number))
        out.write("\n</channel>\n</rss>\n")


def measure(posts: int, folder: Path) -> tuple[int, float, float, int]:
    """(file size, wall seconds, import seconds, child's peak RSS in bytes)."""
    path = folder / f"export-{posts}.xml"
    write_export(path, posts)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    count, seconds, peak_kb = done.stdout.split()
    assert int(count) == posts, done.stdout
    size = path.stat().st_size
    path.unlink()
    return size, wall, float(seconds), int(peak_kb) * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, action="append", help="posts (default 20 000)")
    args = parser.parse_args()
    sizes = args.posts or [20_000]
    print(
        f"presse import of a WordPress export (child's peak RSS; parent at fork: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)\n"
    )
    print("| posts | file | time | peak RSS | posts/s |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory(prefix="presse-wxr-") as folder:
        for posts in sizes:
            size, wall, seconds, peak = measure(posts, Path(folder))
            print(
                f"| {posts:,} | {size / 1e6:,.0f} MB | {wall:,.0f} s | {peak / 1e6:,.0f} MB"
                f" | {posts / seconds:,.0f} |".replace(",", " ")
            )


if __name__ == "__main__":
    main()
