"""The repository's ports as a picture: ``portlint ports --format html|svg|mermaid``.

A table of two hundred rows does not show that two services sit on 8080 or
that a range swallows a fixed port; a line from 0 to 65535 with each claim
on it does. The picture is built from what the other formats list
(:func:`portlint.commands.ports.collect`) plus what ``check`` reports about
collisions (PL401-PL404, PL406, found by the engine with the same config, so
suppressions and the baseline apply) and the contested ports of
``ports --contested``: the map never judges a collision on its own.

Every output is deterministic (no time, stable order) so a committed map
changes only when the ports do, and self-contained: the HTML carries its own
CSS and script and fetches nothing. Text from the repository was made
printable by the engine; here it is made printable again (idempotent, for
the registry and the config) and escaped for HTML, SVG or Mermaid, once, at
the point it is written.
"""

from __future__ import annotations

import html
import itertools
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from portlint.bindings import MAX_PORT, PortBinding
from portlint.commands._labels import namespace_label, port_range
from portlint.findings import Finding
from portlint.printable import printable, printable_path

# What the map marks as a collision: the family's findings about two claims
# of one port (PL405, a dangling targetPort, is about one claim).
COLLISION_CODES = frozenset({"PL401", "PL402", "PL403", "PL404", "PL406"})

# Lanes of the line, one per namespace kind (docs/ports.md, "Namespaces"),
# then references (a URL, a probe), which listen nowhere.
LANES = ("host", "container", "pod", "cluster-service", "unknown", "reference")
LANE_LABELS = {
    "host": "host",
    "container": "container",
    "pod": "pod",
    "cluster-service": "cluster service",
    "unknown": "unknown",
    "reference": "reference",
}

# The line is piecewise linear: each quarter covers one of these spans, so
# 0-1023 and the crowded 1024-10239 are readable next to the dynamic range.
BREAKS = (0, 1024, 10240, 49152, MAX_PORT + 1)
TICKS = (0, 80, 443, 1024, 3000, 5432, 8080, 10240, 20000, 32768, 49152, 65535)
BANDS = (
    ("system", 0, 1023, "system 0-1023"),
    ("registered", 1024, 49151, "registered 1024-49151"),
    ("dynamic", 49152, MAX_PORT, "dynamic 49152-65535"),
)

# SVG geometry (user units).
WIDTH = 1000
AXIS_LEFT = 118
AXIS_RIGHT = 980
BAND_Y = 34
BAND_H = 18
EPHEMERAL_Y = 56
FLAG_Y = 70
LANE_TOP = 84
LANE_H = 26
MARK_H = 16


@dataclass(slots=True)
class Spot:
    """One port (or range) on the line, with everything that claims it."""

    port: int
    end: int  # inclusive; == port for one port
    claimants: list[PortBinding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    contested: bool = False
    iana: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.port) if self.end == self.port else f"{self.port}-{self.end}"

    @property
    def protocols(self) -> list[str]:
        return sorted({b.protocol for b in self.claimants})

    @property
    def lanes(self) -> list[str]:
        present = {lane_of(b) for b in self.claimants}
        return [lane for lane in LANES if lane in present]

    @property
    def codes(self) -> list[str]:
        return sorted({f.code for f in self.findings})

    @property
    def marked(self) -> bool:
        return bool(self.findings) or self.contested


@dataclass(slots=True)
class PortMap:
    spots: list[Spot]
    ephemeral: tuple[int, int]
    registry_date: str
    codes: dict[tuple[str, int, int], list[str]]  # binding location -> collision codes
    contested: set[tuple[str, int, int]]  # binding locations of contested claims

    @property
    def lanes(self) -> list[str]:
        present = {lane for spot in self.spots for lane in spot.lanes}
        return [lane for lane in LANES if lane in present]

    @property
    def claims(self) -> int:
        return sum(len(spot.claimants) for spot in self.spots)


def lane_of(b: PortBinding) -> str:
    return "reference" if b.namespace is None else b.namespace.kind


def _key(b: PortBinding) -> tuple[str, int, int]:
    return (b.location.path, b.location.line, b.location.column)


def build(
    bindings: Sequence[PortBinding],
    findings: Iterable[Finding],
    contested: Iterable[PortBinding],
    ephemeral: tuple[int, int],
    *,
    registry_date: str,
    lookups: bool = True,
) -> PortMap:
    """The map's model: one spot per port or range, in port order.

    A collision finding marks every claimant it names (its location and its
    related locations) and the spot of its port; a contested claimant marks
    its spot too.
    """
    by_span: dict[tuple[int, int], Spot] = {}
    for b in bindings:
        if b.port is None:
            continue
        end = b.end_port if b.end_port is not None else b.port
        by_span.setdefault((b.port, end), Spot(b.port, end)).claimants.append(b)
    spots = [by_span[k] for k in sorted(by_span)]
    codes: dict[tuple[str, int, int], list[str]] = {}
    where: dict[tuple[str, int, int], list[Spot]] = {}
    for spot in spots:
        for b in spot.claimants:
            where.setdefault(_key(b), []).append(spot)
    for f in sorted(findings):
        if f.code not in COLLISION_CODES:
            continue
        touched: list[Spot] = []
        for loc in (f.location, *f.related):
            key = (loc.path, loc.line, loc.column)
            if f.code not in codes.setdefault(key, []):
                codes[key].append(f.code)
            touched.extend(where.get(key, ()))
        for spot in touched:
            if f not in spot.findings:
                spot.findings.append(f)
    contested_keys = {_key(b) for b in contested}
    for spot in spots:
        spot.contested = any(_key(b) in contested_keys for b in spot.claimants)
        if lookups:
            spot.iana, spot.known = _lookups(spot)
    return PortMap(spots, ephemeral, registry_date, codes, contested_keys)


def _lookups(spot: Spot) -> tuple[list[str], list[str]]:
    """The IANA entries and well-known owners ``portlint port N`` shows, for one port."""
    if spot.end != spot.port:
        return [f"a range of {spot.end - spot.port + 1} ports: see `portlint port N`"], []
    from portlint import registry
    from portlint.commands.port import entry_text, wellknown_text
    from portlint.registry import wellknown

    reg = registry.load()
    iana: list[str] = []
    known: list[str] = []
    for proto in spot.protocols:
        for entry in reg.lookup(spot.port, proto):
            text = entry_text(entry).strip()
            if entry.status != "unassigned" and text not in iana:
                iana.append(text)
        for w in wellknown.lookup(spot.port, proto):
            text = wellknown_text(w)
            if text not in known:
                known.append(text)
    return iana or ["unassigned in the IANA registry"], known


# -- the line ------------------------------------------------------------------


def x_of(port: float) -> float:
    """Where ``port`` sits on the piecewise-linear line (see BREAKS)."""
    span = (AXIS_RIGHT - AXIS_LEFT) / (len(BREAKS) - 1)
    for i in range(len(BREAKS) - 1):
        lo, hi = BREAKS[i], BREAKS[i + 1]
        if port < hi or i == len(BREAKS) - 2:
            return round(AXIS_LEFT + span * (i + (port - lo) / (hi - lo)), 1)
    raise AssertionError("unreachable")


def _n(value: float) -> str:
    return f"{value:g}"


def _attr(text: str) -> str:
    return html.escape(printable(text), quote=True)


def _path(text: str) -> str:
    return html.escape(printable_path(text), quote=True)


def _spot_title(spot: Spot) -> str:
    protos = "/".join(spot.protocols)
    lines = [f"port {spot.label}/{protos}"]
    lines.extend(f"{_claimant(b)} at {printable_path(str(b.location))}" for b in spot.claimants)
    lines.extend(f"{f.code}: {printable(f.message)}" for f in spot.findings)
    if spot.contested:
        lines.append("contested: independent projects claim it (portlint ports --contested)")
    return "\n".join(lines)


def _claimant(b: PortBinding) -> str:
    return f"{b.role} {printable(b.owner)} ({b.kind}, {namespace_text(b)})"


def namespace_text(b: PortBinding) -> str:
    return "reference" if b.namespace is None else printable(namespace_label(b))


def render_svg(m: PortMap, *, standalone: bool = True) -> str:
    """The line, its bands and every spot; ``standalone`` adds style, legend and titles."""
    lanes = m.lanes
    height = LANE_TOP + LANE_H * max(len(lanes), 1) + (44 if standalone else 18)
    out: list[str] = []
    head = f'viewBox="0 0 {WIDTH} {height}"'
    if standalone:
        out.append(
            f'<svg xmlns="http://www.w3.org/2000/svg" {head} width="{WIDTH}" height="{height}" '
            'role="img" aria-labelledby="pm-title">'
        )
        out.append(f'<title id="pm-title">{_summary(m)}</title>')
        out.append(f"<style>{SVG_CSS}</style>")
        out.append(f'<rect class="bg" width="{WIDTH}" height="{height}"/>')
    else:
        out.append(f'<svg id="pm-line" {head} role="group" aria-label="the port line">')
    out.append(
        f'<text class="t" x="{AXIS_LEFT}" y="16">0-65535 (each quarter of the line '
        "covers 0-1023, 1024-10239, 10240-49151, 49152-65535)</text>"
    )
    for name, lo, hi, label in BANDS:
        x0, x1 = x_of(lo), x_of(hi + 1)
        out.append(
            f'<rect class="b-{name}" x="{_n(x0)}" y="{BAND_Y}" width="{_n(round(x1 - x0, 1))}" '
            f'height="{BAND_H}"/><text class="bl" x="{_n(x0 + 4)}" y="{BAND_Y + 13}">{label}</text>'
        )
    lo, hi = m.ephemeral
    x0, x1 = x_of(lo), x_of(hi + 1)
    out.append(
        f'<rect class="eph" x="{_n(x0)}" y="{EPHEMERAL_Y}" width="{_n(round(x1 - x0, 1))}" '
        f'height="6"/><text class="tl" x="{_n(x0 - 4)}" y="{EPHEMERAL_Y + 7}" '
        f'text-anchor="end">ephemeral {lo}-{hi}</text>'
    )
    bottom = LANE_TOP + LANE_H * max(len(lanes), 1)
    for tick in TICKS:
        tx = _n(x_of(tick))
        out.append(
            f'<line class="tk" x1="{tx}" x2="{tx}" y1="{BAND_Y}" y2="{bottom}"/>'
            f'<text class="tl" x="{tx}" y="{bottom + 12}" text-anchor="middle">{tick}</text>'
        )
    for i, lane in enumerate(lanes):
        y = LANE_TOP + LANE_H * i
        out.append(
            f'<text class="t" x="{AXIS_LEFT - 6}" y="{y + 17}" text-anchor="end">'
            f"{LANE_LABELS[lane]}</text>"
            f'<line class="ln" x1="{AXIS_LEFT}" x2="{AXIS_RIGHT}" y1="{y + 13}" y2="{y + 13}"/>'
        )
    out.append(
        f'<text class="t" x="{AXIS_LEFT - 6}" y="{FLAG_Y + 9}" text-anchor="end">collision</text>'
    )
    if standalone:
        out.extend(_spot_svg(m, index, spot) for index, spot in enumerate(m.spots))
        y = bottom + 30
        x = AXIS_LEFT
        for lane in lanes:
            out.append(
                f'<rect class="m n-{lane}" x="{x}" y="{y - 10}" width="10" height="10"/>'
                f'<text class="t" x="{x + 14}" y="{y}">{LANE_LABELS[lane]}</text>'
            )
            x += 24 + 7 * len(LANE_LABELS[lane])
        out.append(
            f'<path class="f" d="M{x + 5} {y}l-5 -9h10z"/>'
            f'<text class="t" x="{x + 14}" y="{y}">collision (check)</text>'
            f'<circle class="f" cx="{x + 140}" cy="{y - 5}" r="4"/>'
            f'<text class="t" x="{x + 148}" y="{y}">contested</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _geometry(spot: Spot) -> tuple[float, float, float]:
    """Marker left edge, marker width and flag centre of one spot."""
    x0 = x_of(spot.port)
    if spot.end == spot.port:
        return round(x0 - 2, 1), 4, x0
    width = max(round(x_of(spot.end + 1) - x0, 1), 4)
    return x0, width, round(x0 + width / 2, 1)


def _spot_svg(m: PortMap, index: int, spot: Spot) -> str:
    x, width, cx = _geometry(spot)
    extra = " c" if spot.findings else (" k" if spot.contested else "")
    out = [f'<g class="s{extra}" data-s="{index}"><title>{_attr(_spot_title(spot))}</title>']
    if spot.findings:
        out.append(f'<path class="f" d="M{_n(cx)} {FLAG_Y + 11}l-5 -9h10z"/>')
    elif spot.contested:
        out.append(f'<circle class="f" cx="{_n(cx)}" cy="{FLAG_Y + 6}" r="4"/>')
    for lane in spot.lanes:
        y = LANE_TOP + LANE_H * m.lanes.index(lane) + 5
        out.append(
            f'<rect class="m n-{lane}" x="{_n(x)}" y="{y}" width="{_n(width)}" height="{MARK_H}"/>'
        )
    out.append("</g>")
    return "\n".join(out)


def _summary(m: PortMap) -> str:
    flagged = sum(1 for s in m.spots if s.findings)
    contested = sum(1 for s in m.spots if s.contested and not s.findings)
    return (
        f"portlint port map: {m.claims} claims on {len(m.spots)} ports, "
        f"{flagged} with collisions, {contested} contested"
    )


# Colours: one palette for light, one for dark; the lanes differ in hue and
# lightness, so they stay apart for the common colour-vision deficiencies.
_PALETTE = (
    "--fg:#1a1a1a;--bg:#ffffff;--mute:#5c5c5c;--grid:#d0d0d0;--sys:#fde2e2;--reg:#e3ecfa;"
    "--dyn:#efe3fa;--eph:#b7791f;--col:#c53030;--con:#b7791f;--host:#1f5fad;"
    "--container:#2f855a;--pod:#805ad5;--cluster-service:#00838f;--unknown:#7a7a7a;"
    "--reference:#c05621;--sel:#d69e2e"
)
_PALETTE_DARK = (
    "--fg:#e8e8e8;--bg:#16181d;--mute:#a8a8a8;--grid:#3a3f47;--sys:#4a2626;--reg:#1f2f4a;"
    "--dyn:#36264a;--eph:#ecc94b;--col:#fc8181;--con:#ecc94b;--host:#63b3ed;"
    "--container:#68d391;--pod:#b794f4;--cluster-service:#4fd1c5;--unknown:#a0aec0;"
    "--reference:#f6ad55;--sel:#faf089"
)
_SHAPES = (
    ".t,.bl,.tl{fill:var(--fg);font:12px system-ui,sans-serif}.tl{font-size:10px;"
    "fill:var(--mute)}.b-system{fill:var(--sys)}.b-registered{fill:var(--reg)}"
    ".b-dynamic{fill:var(--dyn)}.eph{fill:var(--eph)}.tk{stroke:var(--grid)}"
    ".ln{stroke:var(--grid);stroke-dasharray:2 3}.m{stroke:var(--bg);stroke-width:.5}"
    ".c .m{stroke:var(--col);stroke-width:2}.c .f{fill:var(--col)}.k .f{fill:var(--con)}"
    + "".join(f".n-{lane}{{fill:var(--{lane})}}" for lane in LANES)
)
SVG_CSS = (
    f":root{{{_PALETTE}}}@media (prefers-color-scheme:dark){{:root{{{_PALETTE_DARK}}}}}"
    f".bg{{fill:var(--bg)}}{_SHAPES}"
)


# -- HTML ----------------------------------------------------------------------

TABLE_COLUMNS = (
    ("port", "n"),
    ("proto", "s"),
    ("namespace", "s"),
    ("kind", "s"),
    ("role", "s"),
    ("owner", "s"),
    ("host ip", "s"),
    ("location", "l"),
    ("collision", "s"),
)

HTML_CSS = (
    f":root{{color-scheme:light dark;{_PALETTE}}}"
    f"@media (prefers-color-scheme:dark){{:root{{{_PALETTE_DARK}}}}}"
    "body{margin:1.5rem;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,sans-serif}"
    "h1{font-size:1.3rem}svg{width:100%;height:auto;max-width:1000px;display:block}"
    f"{_SHAPES}"
    ".s{cursor:pointer}.s:focus{outline:none}.s:focus .m,.s.on .m{stroke:var(--sel);"
    "stroke-width:3}#pm-info{border:1px solid var(--grid);padding:.5rem 1rem;margin:1rem 0;"
    "min-height:3rem;max-width:60rem}#pm-info h2{font-size:1.1rem;margin:.3rem 0}"
    "#pm-info h3{font-size:.95rem;margin:.5rem 0 0}#pm-info ul{margin:.2rem 0;padding-left:1.2rem}"
    ".legend span{display:inline-block;margin-right:1rem}.sw{display:inline-block;width:.8rem;"
    "height:.8rem;margin-right:.3rem;vertical-align:-.1rem}"
    "table{border-collapse:collapse;margin-top:1rem}th,td{border:1px solid var(--grid);"
    "padding:.15rem .5rem;text-align:left;vertical-align:top}td:first-child{text-align:right}"
    "th button{font:inherit;font-weight:bold;background:none;border:0;color:inherit;"
    "cursor:pointer;padding:0}th button:focus-visible,.s:focus-visible{outline:2px solid "
    "var(--sel)}th[aria-sort=ascending] button::after{content:' \\25B2'}"
    "th[aria-sort=descending] button::after{content:' \\25BC'}"
    "tr.c td:last-child{color:var(--col);font-weight:bold}tr.on td{background:var(--reg)}"
    "code{font-size:.95em}"
)

# The page's script, kept beside the other shipped data so it reads as a script.
SCRIPT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "portmap.js")


def _script() -> str:
    with open(SCRIPT, encoding="utf-8") as fh:
        return fh.read().replace("</", "<\\/")  # nothing in it may close the element


def _json_for_script(data: object) -> str:
    """JSON that cannot end or confuse the ``<script>`` element it sits in."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _row(m: PortMap, b: PortBinding) -> str:
    key = _key(b)
    codes = list(m.codes.get(key, ()))
    if key in m.contested:
        codes.append("contested")
    cells = (
        port_range(b.port, b.end_port),
        b.protocol,
        _attr(namespace_text(b)),
        _attr(b.kind),
        _attr(b.role),
        _attr(b.owner),
        _attr(b.host_ip or "*"),
        _path(str(b.location)),
        " ".join(codes),
    )
    # End tags of cells are optional in HTML; leaving them out keeps a
    # thousand-row table small.
    return f"<tr{' class=c' if codes else ''}><td>" + "<td>".join(cells)


def render_html(m: PortMap) -> str:
    data = _page_data(m)
    legend = "".join(
        f'<span><svg class="sw" viewBox="0 0 10 10" aria-hidden="true"><rect class="n-{lane}" '
        f'width="10" height="10"/></svg>{LANE_LABELS[lane]}</span>'
        for lane in m.lanes
    )
    sort = ' aria-sort="ascending"'  # the rows come sorted by port
    heads = "".join(
        f'<th scope="col" data-t="{t}"{sort if i == 0 else ""}>'
        f'<button type="button">{name}</button></th>'
        for i, (name, t) in enumerate(TABLE_COLUMNS)
    )
    rows = "\n".join(_row(m, b) for spot in m.spots for b in sorted(spot.claimants, key=_sort_key))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        '<meta name="color-scheme" content="light dark">',
        "<title>portlint port map</title>",
        f"<style>{HTML_CSS}</style></head>",
        "<body>",
        "<h1>portlint port map</h1>",
        f"<p>{_summary(m)}. IANA registry as of {html.escape(m.registry_date)}; ephemeral range "
        f"{m.ephemeral[0]}-{m.ephemeral[1]} (the <code>ephemeral-range</code> setting).</p>",
        f'<p class="legend">{legend}<span>&#9660; collision reported by '
        "<code>portlint check</code></span><span>&#9679; contested</span></p>",
        "<figure>",
        render_svg(m, standalone=False).rstrip("\n"),
        "<figcaption>Hover, click or tab to a port (arrow keys move along the line) to see "
        "every claimant; <code>#port=8080</code> at the end of the address opens one."
        "</figcaption></figure>",
        '<section id="pm-info" aria-live="polite"><p>No port selected.</p></section>',
        '<table id="pm-table"><caption>Every claimed port, one row per claim. '
        'Sort with the column buttons. <span id="pm-sorted" aria-live="polite">'
        "sorted by port, ascending</span></caption>",
        f"<thead><tr>{heads}</tr></thead>",
        f"<tbody>\n{rows}\n</tbody></table>",
        "<noscript><p>The port line and the details need JavaScript; the table above "
        "lists every claim.</p></noscript>",
        f'<script type="application/json" id="pm-data">{_json_for_script(data)}</script>',
        f"<script>\n{_script()}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _page_data(m: PortMap) -> dict[str, object]:
    """What the page's script needs to draw the spots and explain them, compactly.

    A spot is ``[label, protocols, claims, x, width, flag x, [lane], state,
    [finding], [IANA entry], [well-known owner]]`` (state 1: a collision, 2:
    contested); texts are indexes into one list, since a thousand ports
    share most of them. A table row belongs to the spot whose label is its
    port cell.
    """
    texts: dict[str, int] = {}

    def refs(items: Iterable[str]) -> list[int]:
        return [texts.setdefault(printable(t), len(texts)) for t in items]

    spots = []
    for s in m.spots:
        x, width, cx = _geometry(s)
        findings = [f"{f.code} {f.severity.name.lower()}: {f.message}" for f in s.findings]
        state = 1 if s.findings else (2 if s.contested else 0)
        spots.append(
            [
                s.label,
                "/".join(s.protocols),
                len(s.claimants),
                x,
                width,
                cx,
                [m.lanes.index(lane) for lane in s.lanes],
                state,
                refs(findings),
                refs(s.iana),
                refs(s.known),
            ]
        )
    return {
        "date": m.registry_date,
        "geometry": [LANE_TOP, LANE_H, MARK_H, FLAG_Y],
        "lanes": m.lanes,
        "texts": list(texts),
        "spots": spots,
    }


def _sort_key(b: PortBinding) -> tuple[str, int, int, str]:
    return (b.location.path, b.location.line, b.location.column, b.protocol)


# -- Mermaid -------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """A label Mermaid shows as written: anything but plain characters as ``#NNN;``."""
    return "".join(
        ch if (ch.isalnum() and ch.isascii()) or ch in " ._:/()-@,+=" else f"#{ord(ch)};"
        for ch in printable(text)
    )


def render_mermaid(m: PortMap) -> str:
    """A ``flowchart``: one subgraph per namespace kind, one node per port, collisions in red.

    Meant for a pull-request comment or a wiki page (GitHub and GitLab render
    a ``mermaid`` code block); the labels name each claimant and its file.
    """
    out = ["flowchart LR"]
    flagged: list[str] = []
    contested: list[str] = []
    for lane in m.lanes:
        out.append(f'  subgraph {lane.replace("-", "_")}["{LANE_LABELS[lane]}"]')
        out.append("    direction TB")
        for index, spot in enumerate(m.spots):
            here = [b for b in spot.claimants if lane_of(b) == lane]
            if not here:
                continue
            node = f"{lane.replace('-', '_')}_{index}"
            head = f"{spot.label}/{'/'.join(sorted({b.protocol for b in here}))}"
            if spot.findings:
                head += " " + " ".join(spot.codes)
                flagged.append(node)
            elif spot.contested:
                head += " contested"
                contested.append(node)
            many = len({b.protocol for b in here}) > 1
            lines = [head]
            lines.extend(
                f"{b.owner}{'/' + b.protocol if many else ''} {printable_path(str(b.location))}"
                for b in here
            )
            label = "<br/>".join(_mermaid_text(line) for line in lines)
            out.append(f'    {node}["{label}"]')
        out.append("  end")
    for index, spot in enumerate(m.spots):
        nodes = [f"{lane.replace('-', '_')}_{index}" for lane in spot.lanes]
        if spot.findings and len(nodes) > 1:
            out.extend(f"  {a} --- {b}" for a, b in itertools.pairwise(nodes))
    out.append("  classDef collision fill:#fde2e2,stroke:#c53030,stroke-width:3px,color:#1a1a1a")
    out.append("  classDef contested fill:#fefcbf,stroke:#b7791f,stroke-width:2px,color:#1a1a1a")
    if flagged:
        out.append(f"  class {','.join(flagged)} collision")
    if contested:
        out.append(f"  class {','.join(contested)} contested")
    return "\n".join(out) + "\n"
