"""The examples' port map in a real browser: headless Chromium from the distribution.

Three runs of the browser: a screenshot in light mode and one in dark mode
(decoded here with zlib and struct, so no imaging library is needed), and a
``--dump-dom`` of the page with a small script appended that works the page
as a user would (hover, keyboard, sort) and writes what it saw into the DOM.

Skips, saying why, when no Chromium is installed; ``.ci/run`` installs the
distribution's package so it runs there. ``PORTLINT_UPDATE_GOLDENS=1`` also
writes the light screenshot to docs/port-map.png (the README shows it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.test_portmap import EXAMPLE_COLLISIONS

pytestmark = pytest.mark.browser

BROWSERS = ("chromium", "chromium-browser")
WINDOW = "1100,900"


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no Chromium installed (looked for chromium, chromium-browser on PATH); "
        "install the distribution's package, e.g. `apt-get install chromium`"
    )


def _chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "profile"
    command = [
        _browser(),
        "--headless",
        "--no-sandbox",  # CI containers run as root, where the sandbox refuses to start
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, out, err = run_cli(["ports", "--format", "html", "examples"], cwd=ROOT)
    assert (code, err) == (0, "")
    path = tmp_path_factory.mktemp("portmap") / "map.html"
    path.write_text(out, encoding="utf-8")
    return path


# -- PNG -------------------------------------------------------------------------


def png_pixels(data: bytes) -> tuple[int, int, set[tuple[int, ...]]]:
    """Width, height and the distinct colours of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, interlace) == (8, 0) and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[tuple[int, ...]] = set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 2:  # "up", the common filter, needs no left neighbour: one pass
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind != 0:
            _unfilter(kind, line, previous, channels)
        colours.update(tuple(line[i : i + 3]) for i in range(0, stride, channels))
        previous = line
    return width, height, colours


def _unfilter(kind: int, line: bytearray, previous: bytearray, channels: int) -> None:
    """Undo PNG filter 1 (sub), 3 (average) or 4 (Paeth) in place."""
    for i in range(len(line)):
        left = line[i - channels] if i >= channels else 0
        up = previous[i]
        corner = previous[i - channels] if i >= channels else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        else:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            best = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
            line[i] = (line[i] + best) & 0xFF


def _hex(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def test_screenshots_are_not_blank_in_light_and_dark(page: Path, tmp_path: Path) -> None:
    from portlint.commands._portmap import _PALETTE, _PALETTE_DARK

    light, dark = tmp_path / "light.png", tmp_path / "dark.png"
    url = page.as_uri() + "#port=8080"  # the details of 8080 open, as in the README
    _chromium(tmp_path, f"--screenshot={light}", url)
    _chromium(tmp_path, "--force-dark-mode", f"--screenshot={dark}", url)
    for shot, palette in ((light, _PALETTE), (dark, _PALETTE_DARK)):
        width, height, colours = png_pixels(shot.read_bytes())
        assert (width, height) == tuple(int(n) for n in WINDOW.split(","))
        assert len(colours) > 50  # text, bands, markers: far from one flat colour
        named = dict(re.findall(r"--([a-z-]+):(#[0-9a-f]{6})", palette))
        # the page background, a host marker (drawn by the script) and the collision flag
        for name in ("bg", "host", "col"):
            assert _hex(named[name]) in colours, (shot.name, name)
    if os.environ.get("PORTLINT_UPDATE_GOLDENS"):
        shutil.copyfile(light, ROOT / "docs" / "port-map.png")


# -- through the page --------------------------------------------------------------

# Appended after the page's own script: hovers each spot, moves along the line
# with the arrow key, sorts a column, and writes what it saw as JSON into the DOM.
PROBE = """<script>
(() => {
  const out = {spots: [], keys: [], sort: null};
  const spots = [...document.querySelectorAll('#pm-line g.s')];
  for (const g of spots) {
    g.dispatchEvent(new MouseEvent('mouseenter'));
    out.spots.push({
      label: g.getAttribute('aria-label'), cls: g.getAttribute('class'),
      focusable: g.getAttribute('tabindex'), role: g.getAttribute('role'),
      marks: g.querySelectorAll('rect.m').length,
      info: [...document.querySelectorAll('#pm-info li')].map((li) => li.textContent),
    });
  }
  spots[0].focus();
  spots[0].dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
  out.keys.push(document.activeElement.getAttribute('aria-label'));
  out.keys.push(document.querySelector('#pm-info h2').textContent);
  const th = document.querySelectorAll('#pm-table th')[7];
  th.querySelector('button').click();
  out.sort = {
    aria: th.getAttribute('aria-sort'),
    first: document.querySelector('#pm-table tbody tr').cells[7].textContent.trim(),
    said: document.getElementById('pm-sorted').textContent,
  };
  const pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
})();
</script>
"""


def test_the_page_marks_every_collision_and_lists_every_claimant(
    page: Path, tmp_path: Path
) -> None:
    probe = tmp_path / "probe.html"
    text = page.read_text(encoding="utf-8")
    probe.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    assert 'data-ready="1"' in dom  # the page's own script ran to its end
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found is not None, dom[-2000:]
    seen = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    spots = {s["label"].split(",")[0].removeprefix("port ").split("/")[0]: s for s in seen["spots"]}
    assert len(spots) == 12
    assert all(s["role"] == "button" and s["marks"] >= 1 for s in spots.values())
    assert [s["focusable"] for s in seen["spots"]] == ["0"] + ["-1"] * 11
    flagged = {label for label, s in spots.items() if "c" in s["cls"].split()}
    assert flagged == set(EXAMPLE_COLLISIONS)
    for label, (code, locations) in EXAMPLE_COLLISIONS.items():
        spot = spots[label]
        assert spot["label"].endswith(", collision")
        assert any(line.startswith(f"{code} ") for line in spot["info"]), spot["info"]
        claimants = [line for line in spot["info"] if " at examples/" in line]
        for location in locations:
            assert any(location in line and f"[{code}" in line for line in claimants), (
                label,
                location,
                claimants,
            )
    # every claim of the examples is listed when its port is shown
    listed = [line for s in seen["spots"] for line in s["info"] if " at examples/" in line]
    assert len(listed) == 16
    # keyboard: the arrow key moved focus from the first port to the second
    assert seen["keys"][0].startswith("port 5432/tcp")
    assert seen["keys"][1] == "port 5432/tcp"
    assert seen["sort"] == {
        "aria": "ascending",
        "first": "examples/clean-shop/compose.yaml:8:20",
        "said": "sorted by location, ascending",
    }
