"""Video renditions: CPU time of our PyAV transcode against the ffmpeg command line.

Both sides make the renditions the media job makes for a 10-second 1080p phone-like video
(720p and 1080p, H.264 veryfast CRF 23 + AAC 128k, faststart MP4) and run as child
processes, so ``getrusage(RUSAGE_CHILDREN)`` measures user+sys CPU the same way for both,
threads included. The Python side's child pays for starting Python and importing Django
and PyAV; that overhead is measured on its own and reported, not subtracted.

Needs the ``ffmpeg`` command (Debian: ``apt-get install ffmpeg``); the product never does.
"""

from __future__ import annotations

import math
import os
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFilter

from bench.harness import Result, report

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "var" / "bench" / "video-1080p-10s.mp4"
WIDTH, HEIGHT, FPS, SECONDS = 1920, 1080, 30, 10
ROUNDS = int(os.environ.get("BENCH_VIDEO_ROUNDS", "3"))
X264 = ("-preset", "veryfast", "-crf", "23")

OURS = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from pathlib import Path
from glimpse.media.video import video_probe, video_rendition_heights, video_transcode
source, out = Path(sys.argv[1]), Path(sys.argv[2])
for height in video_rendition_heights(video_probe(source)):
    video_transcode(source, out / f"{height}.mp4", height=height)
"""

IMPORTS_ONLY = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
import glimpse.media.video
"""


def cases() -> list[Result]:
    """Measure both sides ROUNDS times, interleaved, and compare median CPU seconds."""
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("bench/media_video.py needs the ffmpeg command: apt-get install ffmpeg")
    source = make_source()
    ours: list[float] = []
    theirs: list[float] = []
    our_wall: list[float] = []
    their_wall: list[float] = []
    with tempfile.TemporaryDirectory(prefix="glimpse-bench-video-") as tmp:
        out = Path(tmp)
        for _ in range(ROUNDS):
            cli = [*_ffmpeg_cmd(source, out, 720), *_ffmpeg_cmd(source, out, 1080)]
            theirs.append(_cpu(cli, their_wall))
            ours.append(_cpu([[sys.executable, "-c", OURS, str(source), str(out)]], our_wall))
        overhead = statistics.median(_cpu([[sys.executable, "-c", IMPORTS_ONLY]]) for _ in range(3))
    our_s, their_s = statistics.median(ours), statistics.median(theirs)
    print(
        f"video CPU seconds, median of {ROUNDS}: ours {our_s:.2f} (runs {_fmt(ours)}, of which"
        f" {overhead:.2f} starting Python), ffmpeg {their_s:.2f} (runs {_fmt(theirs)});"
        f" wall seconds: ours {statistics.median(our_wall):.2f},"
        f" ffmpeg {statistics.median(their_wall):.2f}"
    )
    return [
        Result(
            name="video_transcode 720p+1080p (CPU)",
            baseline="ffmpeg CLI",
            value=our_s,
            baseline_value=their_s,
            ratio=our_s / their_s,
            budget_ratio=1.1,
            unit="s",
        )
    ]


def run() -> list[Result]:
    """Run the suite and record it, for ``python -m bench``."""
    results = cases()
    report(results, suite="media_video")
    return results


def _ffmpeg_cmd(source: Path, out: Path, height: int) -> list[list[str]]:
    """Return the command line doing what video_transcode does for one rendition."""
    from glimpse.media.video import rendition_size, video_probe

    width, out_height = rendition_size(video_probe(source), height)
    return [
        [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-i", str(source),
            "-map", "0:v:0", "-map", "0:a:0?",
            "-vf", f"scale={width}:{out_height},format=yuv420p,setsar=1",
            "-c:v", "libx264", *X264,
            "-c:a", "aac", "-b:a", "128k", "-ac", "2",
            "-map_metadata", "-1", "-movflags", "+faststart", "-fps_mode", "passthrough",
            str(out / f"cli-{height}.mp4"),
        ]
    ]  # fmt: skip


def _cpu(commands: list[list[str]], wall: list[float] | None = None) -> float:
    """Run commands one after the other; return the user+sys CPU seconds they used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    for command in commands:
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603
    if wall is not None:
        wall.append(time.perf_counter() - started)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def make_source() -> Path:
    """Write (once) a 10 s 1080p30 H.264/AAC video with camera-like motion and grain."""
    if SOURCE.exists():
        return SOURCE
    SOURCE.parent.mkdir(parents=True, exist_ok=True)
    scene = _scene()
    partial = SOURCE.with_suffix(".part")
    with av.open(str(partial), "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=FPS)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.options = {"preset": "fast", "crf": "18"}  # a phone's generous bitrate
        audio = out.add_stream("aac", rate=48000)
        audio.layout = "stereo"
        grain = [Image.effect_noise((WIDTH, HEIGHT), 12).convert("RGB") for _ in range(4)]
        for i in range(FPS * SECONDS):
            # A slow pan across the scene, with sensor grain: motion and texture like a phone.
            x, y = int(i * 1.7), int(120 + 60 * math.sin(i / 40))
            picture = Image.blend(scene.crop((x, y, x + WIDTH, y + HEIGHT)), grain[i % 4], 0.08)
            frame = av.VideoFrame.from_image(picture)
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        step = audio.codec_context.frame_size or 1024
        for start in range(0, 48000 * SECONDS, step):
            frame = av.AudioFrame(format="s16", layout="stereo", samples=step)
            tone = (
                int(5000 * math.sin(2 * math.pi * 330 * (start + k) / 48000)) for k in range(step)
            )
            frame.planes[0].update(b"".join(struct.pack("<hh", s, s) for s in tone))
            frame.sample_rate, frame.pts = 48000, start
            out.mux(audio.encode(frame))
        out.mux(audio.encode(None))
    partial.replace(SOURCE)
    return SOURCE


def _scene() -> Image.Image:
    """Return a wide picture with gradients, shapes and edges for the camera to pan over."""
    width, height = WIDTH + FPS * SECONDS * 2, HEIGHT + 300
    scene = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(scene)
    for n in range(220):
        x, y = (n * 397) % width, (n * 211) % height
        r = 20 + (n * 37) % 140
        colour = ((n * 53) % 256, (n * 97) % 256, (n * 151) % 256)
        if n % 3:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x, y, x + 2 * r, y + r // 2), fill=colour, outline=(0, 0, 0), width=3)
    return scene.filter(ImageFilter.GaussianBlur(1.2))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    report(cases(), suite="media_video")
