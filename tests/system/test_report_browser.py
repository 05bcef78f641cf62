"""The HTML report in a real browser: the real program writes the fixture's six-week
report, headless Chromium prints it to PDF and takes a screenshot. One page of A4, nothing
on the console, and a picture that is not blank (the chart's colours are in it).

Chromium is Debian's package (`.ci/run` installs it). Without it the test is skipped with
the reason, except in CI (CI=true), where a missing browser is a failure."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from report_support import TODAY, seed_home

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
A4_POINTS = (595.28, 841.89)


def chromium() -> str:
    """The browser's path; skip (fail in CI) without one."""
    for name in CANDIDATES:
        if found := shutil.which(name):
            return found
    message = "chromium is not installed (apt-get install chromium; .ci/run installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must install it")
    pytest.skip(message)


def headless(browser: str, page: Path, out: Path) -> tuple[bytes, bytes, str]:
    """(PDF, PNG, browser log) of ``page``."""
    pdf, png = out / "page.pdf", out / "page.png"
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={out / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=900,1300",
            f"--print-to-pdf={pdf}",
            f"--screenshot={png}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(out)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return pdf.read_bytes(), png.read_bytes(), result.stderr


def console_lines(log: str) -> list[str]:
    """What the page said on the console (errors, uncaught exceptions, blocked content)."""
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """The size of each page of a PDF (Chromium writes no object streams: the page
    dictionaries are plain text)."""
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", data)
    boxes = [
        tuple(float(v) for v in box.split()[2:])
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)
    ]
    assert len(boxes) >= len(pages)
    return [(b[0], b[1]) for b in boxes[: len(pages)]]


def png_pixels(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """(width, height, RGB pixels) of an 8-bit RGB or RGBA PNG (zlib and struct only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, [], b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    previous = bytearray(stride)
    pixels = []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                near = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + near) & 255
        pixels.extend((line[i], line[i + 1], line[i + 2]) for i in range(0, stride, step))
        previous = line
    return width, height, pixels


def near(pixel: tuple[int, int, int], colour: tuple[int, int, int], by: int = 40) -> bool:
    return all(abs(a - b) <= by for a, b in zip(pixel, colour, strict=True))


@pytest.fixture(scope="module")
def browser() -> str:
    return chromium()


def test_the_report_prints_on_one_page_of_a4_in_chromium(browser: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    seed_home(home)
    page = tmp_path / "report.html"
    env = {
        **os.environ,
        "STRETCH_HOME": str(home),
        "STRETCH_TODAY": TODAY,
        "TZ": "Europe/Berlin",
        "HOME": str(tmp_path),
    }
    written = subprocess.run(
        [sys.executable, "-m", "stretchcli", "report", "--since", "6w", "-o", str(page)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert written.returncode == 0, written.stderr
    pdf, png, log = headless(browser, page, tmp_path)

    assert console_lines(log) == []
    pages = pdf_pages(pdf)
    assert len(pages) == 1, f"{len(pages)} pages"
    assert pages[0] == pytest.approx(A4_POINTS, abs=1.0)

    width, height, pixels = png_pixels(png)
    assert (width, height) == (900, 1300)
    white = sum(1 for p in pixels if min(p) >= 245)
    dark = sum(1 for p in pixels if max(p) <= 90)  # text
    blue = sum(1 for p in pixels if near(p, (0x1F, 0x5F, 0xA8)))  # before: marks and means
    orange = sum(1 for p in pixels if near(p, (0xB3, 0x4D, 0x00)))  # after
    assert white > len(pixels) // 2  # a light page
    assert dark > 2000 and blue > 300 and orange > 300, (dark, blue, orange)


def test_the_console_check_sees_an_error(browser: str, tmp_path: Path) -> None:
    """The check above means something: a page whose script throws is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('boom')</script>")
    _, _, log = headless(browser, page, tmp_path)
    assert any("Uncaught Error: boom" in line for line in console_lines(log))
