"""Photo processing: CPU and peak memory of our job against a naive Pillow baseline.

Our job is what the media pipeline runs per photo: ``photo_clean_original`` then
``photo_render`` (every rendition, WebP and JPEG, blurhash, dominant colour). The naive
baseline opens the photo, applies ``exif_transpose``, resizes every size from the full
image and saves each with the same encoder settings. Both run in fresh child processes,
interleaved: a child measures its own CPU (user+sys, threads included) around the work
only, and its peak resident memory above its own baseline after imports (``ru_maxrss``:
tracemalloc does not see Pillow's C allocations).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import Result, report

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench" / "photos"
ROUNDS = int(os.environ.get("BENCH_PHOTO_ROUNDS", "5"))
# (label, file name, size, CPU budget as a ratio of the naive CPU, peak memory target in MB)
INPUTS = (
    ("12 MP JPEG", "photo-12mp.jpg", (4000, 3000), 0.5, 80),
    ("12 MP PNG", "photo-12mp.png", (4000, 3000), 0.8, None),
    ("50 MP JPEG", "photo-50mp.jpg", (8160, 6120), 0.5, 400),
)


def cases() -> list[Result]:
    """Compare our photo job with the naive baseline on 12 MP JPEG and PNG and 50 MP JPEG."""
    results = []
    for label, name, size, budget, target_mb in INPUTS:
        source = make_source(CACHE / name, size)
        ours, naive = [], []
        rounds = ROUNDS if size[0] * size[1] < 20_000_000 else max(3, ROUNDS // 2)
        for _ in range(rounds):
            naive.append(_child("naive", source))
            ours.append(_child("ours", source))
        our_cpu, naive_cpu = (statistics.median(r["cpu"] for r in runs) for runs in (ours, naive))
        our_mb, naive_mb = (max(r["peak_mb"] for r in runs) for runs in (ours, naive))
        print(
            f"{label}: CPU ours {our_cpu:.3f} s, naive {naive_cpu:.3f} s "
            f"(ratio {our_cpu / naive_cpu:.2f}); peak memory ours {our_mb:.0f} MB, "
            f"naive {naive_mb:.0f} MB" + (f" (target <= {target_mb} MB)" if target_mb else "")
        )
        results.append(
            Result(
                name=f"photo job {label} (CPU)",
                baseline="naive Pillow",
                value=our_cpu,
                baseline_value=naive_cpu,
                ratio=our_cpu / naive_cpu,
                budget_ratio=budget,
                unit="s",
            )
        )
        if target_mb:
            # Memory as a ratio of its target, so that the harness flags it over budget.
            results.append(
                Result(
                    name=f"photo job {label} (peak MB)",
                    baseline=f"target {target_mb} MB",
                    value=our_mb,
                    baseline_value=float(target_mb),
                    ratio=our_mb / target_mb,
                    budget_ratio=1.0,
                    unit="MB",
                )
            )
    return results


def run() -> list[Result]:
    """Run the photo cases alone and record them."""
    results = cases()
    report(results, suite="media_photos")
    return results


def make_source(path: Path, size: tuple[int, int]) -> Path:
    """Create a photo-like picture once and cache it under var/bench/."""
    if path.exists():
        return path
    from tests.media.corpus import photo_like

    path.parent.mkdir(parents=True, exist_ok=True)
    image = photo_like(size)
    temp = path.with_suffix(".tmp")
    if path.suffix == ".png":
        image.save(temp, "PNG")
    else:
        image.save(temp, "JPEG", quality=90)  # a phone's camera JPEG: 4-6 MB at 12 MP
    temp.replace(path)
    return path


def _child(side: str, source: Path) -> dict[str, float]:
    """Run one side in a fresh Python and return its CPU seconds and peak MB."""
    with tempfile.TemporaryDirectory(prefix="glimpse-bench-photo-") as tmp:
        output = subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "bench.media_photos", side, str(source), tmp],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _measure(side: str, source: Path, out: Path) -> dict[str, float]:
    """Do one side's work once, in this (fresh) process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from glimpse.media.photos import photo_clean_original, photo_render

    baseline_kb = _rss_kb("VmRSS")
    _reset_peak()
    start = _cpu()
    if side == "ours":
        extension = photo_clean_original(source, out / "original")
        rendered = photo_render(out / "original")
        for rendition in rendered.renditions:
            (out / f"{rendition.name}.{rendition.format}.{extension}").write_bytes(rendition.data)
    else:
        _naive(source, out)
    cpu = _cpu() - start
    peak_kb = _rss_kb("VmHWM")
    return {"cpu": cpu, "peak_mb": (peak_kb - baseline_kb) / 1024}


def _naive(source: Path, out: Path) -> None:
    """Make the same sizes the obvious way: every size from the full decoded image."""
    from PIL import Image, ImageOps

    from glimpse.media.photo_render import JPEG_OPTIONS, WEBP_OPTIONS

    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)
    image = image.convert("RGB")
    sizes = []
    for width in (1080, 640, 320):
        height = round(width * image.height / image.width)
        sizes.append((str(width), image.resize((width, height), Image.Resampling.LANCZOS)))
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    square = (left, top, left + side, top + side)
    sizes.append(("thumb", image.resize((150, 150), Image.Resampling.LANCZOS, box=square)))
    for name, sized in sizes:
        sized.save(out / f"{name}.webp", "WEBP", **WEBP_OPTIONS)
        sized.save(out / f"{name}.jpg", "JPEG", **JPEG_OPTIONS)


def _rss_kb(field: str) -> int:
    """Read the resident size (VmRSS) or its high-water mark (VmHWM) of this process."""
    # Not ru_maxrss: Linux carries it over from the parent across fork and exec, so a child
    # of a big parent would report the parent's size.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: best effort


def _reset_peak() -> None:
    """Reset the high-water mark to the current size, so it measures the work alone."""
    # Where this fails, the mark also covers the imports, which are smaller than the work.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("ours", "naive"):
        figures = _measure(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
        print(json.dumps(figures))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        report(cases(), suite="media_photos")
