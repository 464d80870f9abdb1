"""Benchmark presse's photo pipeline: whole builds of a site whose every article has a
12-megapixel lead photo, and one photo's cost step by step (decode, resize, each
format at each width).

    python benchmarks/photos.py                     # 1 000 photos: over an hour
    python benchmarks/photos.py --photos 8          # a quick check
    python benchmarks/photos.py --corpus /data/photos --repeat 5

A cold build costs a few seconds of CPU a photo (on every core: ``--jobs``), and 1 000
photos take about 4 GB in the corpus and 11 GB more while the builds run (the output,
the photo cache), in the temporary folder.

The photos are made once and kept in ``--corpus`` (delete it to make them again): 4000 ×
3000 JPEGs at quality 90, with an sRGB profile and a little EXIF, as a camera writes
them. Each is a public-domain or CC0 photograph of scikit-image's sample data (read
from its wheel, which pip downloads into the corpus folder; nothing is installed),
cropped, turned, mirrored, lit and coloured its own way, upscaled, then given the fine
detail an upscale lacks (a CC0 texture's high frequencies) and film grain: a photo that
costs the encoders what a real one does, not noise or flat colour, and different bytes
for each (all from seeded random numbers: the same pixels on every machine).

Prints two Markdown tables: the site's builds (cold, warm, one photo added, and the
same articles without photos, whose difference with the cold build is what the photos
cost), then one photo's steps as ``presse.imaging`` runs them, with its own encoder
settings. Every figure is measured in this run, on this machine: compare ratios, not
absolute times. Peak memory is the largest resident set reached by any one process of
the build's tree, sampled from ``/proc`` (see ``run.py``).
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageEnhance, ImageFilter

# The sibling benchmark's measuring: the same clock, the same peak-memory sampler.
from run import NOW, Run, measure
from run import presse as build_command

import presse
from presse.imaging import (
    _ENCODERS,
    _ORIGINALS,
    _encode,
    _in_srgb,
    _upright,
    crops,
    open_photo,
    process,
)
from presse.photos import DEFAULT_FORMATS, DEFAULT_WIDTHS, target_widths

SIZE = (4000, 3000)  # 12 megapixels, a phone's or a compact camera's
QUALITY = 90
DEFAULT_CORPUS = Path(tempfile.gettempdir()) / "presse-photos-corpus"
WHEEL_FOLDER = "_wheel"

# scikit-image's sample photographs (licences in skimage/data/_fetchers.py), what each
# shows (for the articles), and its CC0 textures, whose high frequencies stand in for
# the detail a 7× upscale does not have.
SUBJECTS = {
    "coffee.png": "une tasse de café sur une table en bois",  # CC0, Rachel Michetti
    "chelsea.png": "un chat tigré qui regarde l’objectif",  # CC0, Stefan van der Walt
    "astronaut.png": "l’astronaute Eileen Collins en combinaison",  # NASA, public domain
    "rocket.jpg": "le décollage d’une fusée Falcon 9",  # SpaceX, public domain
}
TEXTURES = ("gravel.png", "grass.png")  # CC0 (CC0 Textures, DeviantArt): irregular detail

PRESSE_CONFIG = """\
title = "Banc d’essai des photos"
base_url = "https://banc.example/"
"""

ARTICLE = """\
---
title: "Reportage en images nº {number} : {subject}"
date: {date}
{image}---

Notre photographe a saisi {subject}. Cette image, la {number}ᵉ de la série, a été prise
au petit matin, dans une lumière rasante qui souligne chaque détail.

Le reportage complet paraîtra dans notre édition du week-end, avec les témoignages
recueillis sur place.
"""
IMAGE_LINES = 'image: /images/{name}\nimage_alt: "Photo : {subject}."\n'
FIRST_DATE = datetime(2025, 1, 6, 7, 0, tzinfo=timezone(timedelta(hours=1)))

FORMATS = (*DEFAULT_FORMATS, "jpeg")  # the modern formats, then the fallback
_SRGB_PROFILE = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


# --------------------------------------------------------------------------- the corpus


def photo_name(index: int) -> str:
    return f"p{index:04d}.jpg"


def subject_of(index: int) -> str:
    return list(SUBJECTS.values())[index % len(SUBJECTS)]


def skimage_wheel(corpus: Path) -> Path:
    """scikit-image's wheel, downloaded once into the corpus folder (pip's own client)."""
    folder = corpus / WHEEL_FOLDER
    found = sorted(folder.glob("scikit_image-*.whl"))
    if not found:
        print("downloading scikit-image's wheel for its sample photos…", file=sys.stderr)
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-deps"]
        subprocess.run([*pip, "--only-binary=:all:", "-d", str(folder), "scikit-image"], check=True)
        found = sorted(folder.glob("scikit_image-*.whl"))
    return found[-1]


@functools.cache
def _samples(wheel: str) -> tuple[list[Image.Image], list[Image.Image]]:
    """The photographs (RGB) and the textures' high frequencies (L, centred on 128), read
    from the wheel once per process."""

    def read(name: str) -> Image.Image:
        with zipfile.ZipFile(wheel) as archive:
            image = Image.open(io.BytesIO(archive.read(f"skimage/data/{name}")))
            image.load()
        return image

    photos = [read(name).convert("RGB") for name in SUBJECTS]
    details = []
    for name in TEXTURES:
        texture = read(name).convert("L")
        blurred = texture.filter(ImageFilter.GaussianBlur(2))
        details.append(ImageChops.subtract(texture, blurred, scale=1, offset=128))
    return photos, details


def _crop_box(
    rng: random.Random, turned: Image.Image, valid: Image.Image
) -> tuple[int, int, int, int]:
    """A 4:3 box of random size and place that holds only pixels of the turned photo (none
    of the corners the turn brings in): shrunk towards the centre until it does."""
    width, height = turned.size
    largest = min(width, height * 4 / 3)
    scale, x, y = rng.uniform(0.6, 0.9), rng.random(), rng.random()
    while True:
        w, h = largest * scale, largest * scale * 3 / 4
        left, top = (width - w) * x, (height - h) * y
        box = (round(left), round(top), round(left + w), round(top + h))
        if valid.crop(box).getextrema()[0] == 255:
            return box
        scale, x, y = scale * 0.95, 0.5 + (x - 0.5) * 0.8, 0.5 + (y - 0.5) * 0.8


def _tiled(tile: Image.Image, offset: tuple[int, int]) -> Image.Image:
    layer = Image.new("L", SIZE)
    for x in range(-offset[0], SIZE[0], tile.width):
        for y in range(-offset[1], SIZE[1], tile.height):
            layer.paste(tile, (x, y))
    return layer


def _amplitude(factor: float) -> list[int]:
    """A lookup table scaling a layer centred on 128 by ``factor``."""
    return [max(0, min(255, round(128 + (v - 128) * factor))) for v in range(256)]


def make_photo(index: int, wheel: str) -> bytes:
    """Photo ``index`` of the corpus, as a camera's JPEG (see the module's docstring)."""
    rng = random.Random(index)
    photos, details = _samples(wheel)
    source = photos[index % len(photos)]
    angle = rng.uniform(-5, 5)
    turned = source.rotate(angle, Image.Resampling.BICUBIC)
    valid = Image.new("L", source.size, 255).rotate(angle, Image.Resampling.BICUBIC)
    small = turned.crop(_crop_box(rng, turned, valid))
    if rng.random() < 0.5:
        small = small.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    small = ImageEnhance.Brightness(small).enhance(rng.uniform(0.85, 1.15))
    small = ImageEnhance.Contrast(small).enhance(rng.uniform(0.9, 1.15))
    small = ImageEnhance.Color(small).enhance(rng.uniform(0.8, 1.2))
    photo = small.resize(SIZE, Image.Resampling.LANCZOS)
    # Fine detail (a texture's high frequencies, tiled) and film grain (uniform noise),
    # added to the three channels alike, as luminance.
    detail = details[rng.randrange(len(details))]
    offset = (rng.randrange(detail.width), rng.randrange(detail.height))
    texture = _tiled(detail.point(_amplitude(rng.uniform(0.25, 0.4))), offset)
    grain = Image.frombytes("L", SIZE, rng.randbytes(SIZE[0] * SIZE[1]))
    grain = grain.point(_amplitude(rng.uniform(3, 5) / 74))  # uniform noise: σ ≈ 74
    layer = ImageChops.add(texture, grain, scale=1, offset=-128)
    photo = ImageChops.add(photo, Image.merge("RGB", (layer, layer, layer)), offset=-128)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Banc d’essai", "Appareil 12 MP", 1
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=QUALITY, icc_profile=_SRGB_PROFILE, exif=exif)
    return buffer.getvalue()


def _write_photo(index: int, corpus: str, wheel: str) -> None:
    target = Path(corpus) / photo_name(index)
    partial = target.with_suffix(".partial")
    partial.write_bytes(make_photo(index, wheel))
    partial.replace(target)  # an interrupted run leaves no half photo


def ensure_corpus(corpus: Path, count: int) -> list[Path]:
    """The corpus's first ``count`` photos, made (on every core) where missing."""
    corpus.mkdir(parents=True, exist_ok=True)
    paths = [corpus / photo_name(i) for i in range(count)]
    missing = [i for i, path in enumerate(paths) if not path.exists()]
    if missing:
        wheel = skimage_wheel(corpus)
        print(f"making {len(missing)} photos in {corpus}…", file=sys.stderr)
        write = functools.partial(_write_photo, corpus=str(corpus), wheel=str(wheel))
        with ProcessPoolExecutor(os.cpu_count()) as pool:
            for _ in pool.map(write, missing, chunksize=4):
                pass
    return paths


# --------------------------------------------------------------------------- the site


def add_article(site: Path, index: int, photo: Path | None) -> None:
    """Article ``index``, with ``photo`` as its lead image (linked into ``static/``)."""
    subject = subject_of(index)
    image = ""
    if photo is not None:
        target = site / "static" / "images" / photo.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.hardlink_to(photo)
        except OSError:
            shutil.copyfile(photo, target)  # another file system
        image = IMAGE_LINES.format(name=photo.name, subject=subject)
    date = (FIRST_DATE + timedelta(minutes=30 * index)).isoformat()
    text = ARTICLE.format(number=index + 1, subject=subject, date=date, image=image)
    article = site / "content" / "2025" / f"photo-{index:04d}.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text(text, encoding="utf-8")


def make_site(site: Path, photos: Sequence[Path], with_photos: bool) -> None:
    site.mkdir(parents=True)
    (site / "presse.toml").write_text(PRESSE_CONFIG, encoding="utf-8")
    for index, photo in enumerate(photos):
        add_article(site, index, photo if with_photos else None)


Snapshot = dict[Path, tuple[int, int]]  # path → inode, mtime


def photo_outputs(out: Path) -> Snapshot:
    """The published photos (variants and originals): unchanged ones keep their inode
    and mtime from build to build (see ``presse.publish``), written ones do not."""
    found: Snapshot = {}
    for folder in (out / "photos", out / "images"):
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    status = path.stat()
                    found[path] = (status.st_ino, status.st_mtime_ns)
    return found


@dataclass
class SiteRow:
    name: str
    photos: int  # in the site
    encoded: int  # the photos this build had to process
    seconds: float
    cpu: float  # of the build's processes: steadier than the clock on a shared machine
    peak_mb: float | None = None
    written: int | None = None  # photo outputs written


def build(site: Path, name: str, photos: int, encoded: int) -> SiteRow:
    out = site / "public"
    before, cpu_before = photo_outputs(out), _children_cpu()
    run: Run = measure(build_command(site, "--cache-dir", str(site / ".presse-cache")), site)
    after, cpu = photo_outputs(out), _children_cpu() - cpu_before
    written = sum(1 for path, seen in after.items() if before.get(path) != seen)
    print(f"  {name}: {run.seconds:.1f} s", file=sys.stderr)
    return SiteRow(name, photos, encoded, run.seconds, cpu, run.peak_mb, written)


def _children_cpu() -> float:
    """CPU seconds of the reaped children: the builds measure() waited for, with the
    descendants each of them waited for (workers, Pagefind)."""
    times = os.times()
    return times.children_user + times.children_system


def bench_site(photos: Sequence[Path], work: Path) -> list[SiteRow]:
    """Cold, warm, one photo more; and the same articles without photos, cold."""
    count = len(photos) - 1  # the last one is the added photo
    site = work / "photos"
    make_site(site, photos[:count], with_photos=True)
    rows = [build(site, "cold, fresh cache", count, count)]
    rows.append(build(site, "warm, unchanged", count, 0))
    add_article(site, count, photos[count])
    rows.append(build(site, "warm, one article and its photo added", count + 1, 1))
    plain = work / "plain"
    make_site(plain, photos[:count], with_photos=False)
    rows.append(build(plain, "cold, same articles without `image:` (no photos)", 0, 0))
    cold, without = rows[0], rows[-1]
    rows.append(
        SiteRow(
            "photos alone: cold − without",
            count,
            count,
            cold.seconds - without.seconds,
            cold.cpu - without.cpu,
        )
    )
    return rows


def print_site_table(rows: Sequence[SiteRow]) -> None:
    print(
        "| build (12 MP photos) | photos (processed) | time | CPU | peak process "
        "| photo outputs written | time (CPU) per processed photo |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        per_photo = "–"
        if row.encoded:
            per_photo = f"{row.seconds / row.encoded:.2f} s ({row.cpu / row.encoded:.2f} s)"
        cells = [
            row.name,
            f"{row.photos:,} ({row.encoded:,})".replace(",", " "),
            f"{row.seconds:.2f} s",
            f"{row.cpu:.2f} s",
            "–" if row.peak_mb is None else f"{row.peak_mb:.0f} MB",
            "–" if row.written is None else f"{row.written:,}".replace(",", " "),
            per_photo,
        ]
        print("| " + " | ".join(cells) + " |", flush=True)


# --------------------------------------------------------------------------- one photo


@dataclass
class Steps:
    """Seconds of each repetition, and bytes, of one photo's steps."""

    seconds: dict[str, list[float]]
    sizes: dict[str, int]
    size: tuple[int, int]
    widths: list[tuple[int, int]]

    def median(self, step: str) -> float:
        return statistics.median(self.seconds[step])


def bench_steps(data: bytes, repeat: int) -> Steps:
    """The steps of ``imaging.process(data, ".jpg", original=True)``, as the build calls
    it, each timed apart (its own functions and encoder settings), and the whole call."""
    steps = Steps({}, {}, (0, 0), [])

    def timed(step: str, work: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = work()
        steps.seconds.setdefault(step, []).append(time.perf_counter() - started)
        if isinstance(result, bytes):
            steps.sizes[step] = len(result)
        return result

    for _ in range(repeat):
        image = open_photo(data, ".jpg")
        started = time.perf_counter()
        rgb, profile, _ = _in_srgb(_upright(image))  # full size: no draft with original
        steps.seconds.setdefault("decode", []).append(time.perf_counter() - started)
        steps.size = rgb.size
        steps.widths = []
        base = rgb  # as imaging.process: the widest from the photo, the others from it
        for width in reversed(target_widths(rgb.width, DEFAULT_WIDTHS)):
            height = max(1, round(rgb.height * width / rgb.width))
            steps.widths.insert(0, (width, height))
            gap = 3.0 if base is rgb else None
            resize = functools.partial(
                base.resize, (width, height), Image.Resampling.LANCZOS, reducing_gap=gap
            )
            resized = timed(f"resize {width}", resize)
            assert isinstance(resized, Image.Image)
            base = resized
            for format in FORMATS:
                timed(f"{format} {width}", functools.partial(_encode, resized, format, profile))
        timed("original", functools.partial(_encode, rgb, "jpeg", profile, _ORIGINALS))
        image.close()
    for _ in range(repeat):
        timed("process", functools.partial(process, data, ".jpg", original=True))
        timed("crops", functools.partial(crops, data, ".jpg"))
    return steps


def _size(count: int) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"


def print_steps_table(steps: Steps, repeat: int, source_bytes: int) -> None:
    names = {"avif": "AVIF", "webp": "WebP", "jpeg": "JPEG"}
    settings = "; ".join(
        f"{names[f]} {', '.join(f'{k} {v}' for k, v in _ENCODERS[f].items())}" for f in FORMATS
    )
    width, height = steps.size
    print(
        f"| one {width} × {height} photo ({_size(source_bytes)}), median of {repeat} "
        f"| decode or resize | {' | '.join(names[f] for f in FORMATS)} | all |"
    )
    print("|---|---:|" + "---:|" * len(FORMATS) + "---:|")
    decode = steps.median("decode")
    blanks = ["–"] * len(FORMATS)
    print(
        f"| decode, upright, sRGB (full size) | {decode:.2f} s | {' | '.join(blanks)} "
        f"| {decode:.2f} s |"
    )
    totals = dict.fromkeys(FORMATS, 0.0)
    resizes = 0.0
    for width, height in steps.widths:
        resize = steps.median(f"resize {width}")
        resizes += resize
        cells = []
        for format in FORMATS:
            seconds = steps.median(f"{format} {width}")
            totals[format] += seconds
            cells.append(f"{seconds:.2f} s ({_size(steps.sizes[f'{format} {width}'])})")
        row_total = resize + sum(steps.median(f"{f} {width}") for f in FORMATS)
        print(f"| {width} × {height} | {resize:.2f} s | {' | '.join(cells)} | {row_total:.2f} s |")
    original = steps.median("original")
    quality = _ORIGINALS["jpeg"]["quality"]
    print(
        f"| original, {steps.size[0]} × {steps.size[1]} JPEG quality {quality} | – | – | – "
        f"| {original:.2f} s ({_size(steps.sizes['original'])}) | {original:.2f} s |"
    )
    totals["jpeg"] += original
    cells = [f"{totals[f]:.2f} s" for f in FORMATS]
    summed = decode + resizes + sum(totals.values())
    print(f"| sum of the steps | {decode + resizes:.2f} s | {' | '.join(cells)} | {summed:.2f} s |")
    whole = steps.median("process")
    print(f"| `imaging.process(original=True)`, whole | | | | | {whole:.2f} s |")
    cropped = steps.median("crops")
    print(
        "| `imaging.crops`: share card, 16:9, 4:3, 1:1 at 1200 px, 4:3 thumbnails"
        f" (400, 800 px × 3 formats) | | | | | {cropped:.2f} s |"
    )
    print(f"\nEncoder settings (`presse.imaging`): {settings}.")


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1000, help="articles, one photo each")
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="where the photos are kept"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetitions of the one-photo steps (median)"
    )
    args = parser.parse_args()
    if args.photos < 1 or args.repeat < 1:
        parser.error("--photos and --repeat must be at least 1")
    photos = ensure_corpus(args.corpus.resolve(), args.photos + 1)  # + the one added
    total = sum(p.stat().st_size for p in photos[:-1])
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"machine: {os.cpu_count()} cores, load {load}; {args.photos} photos,"
        f" {_size(total // args.photos)} on average, in {args.corpus};"
        f" presse from {Path(presse.__file__).parent}; build clock {NOW}\n",
        file=sys.stderr,
    )
    with tempfile.TemporaryDirectory(prefix="presse-photos-") as work:
        print(f"site builds in {work}…", file=sys.stderr)
        rows = bench_site(photos, Path(work))
    print("one photo's steps…", file=sys.stderr)
    data = photos[0].read_bytes()
    steps = bench_steps(data, args.repeat)
    print()
    print_site_table(rows)
    print()
    print_steps_table(steps, args.repeat, len(data))


if __name__ == "__main__":
    main()
