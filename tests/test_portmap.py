"""``portlint ports --format html|svg|mermaid``: the port map of issue 18.

The goldens are the examples' map; rewrite them after an intended change with
``PORTLINT_UPDATE_GOLDENS=1 python -m pytest tests/test_portmap.py`` and read
the diff. The registry date is replaced by a placeholder, so a registry
refresh changes a golden only where an entry of the examples' ports changed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from portlint.commands import _portmap
from tests.conftest import ROOT, SHIPPED_DATE, run_cli

GOLDENS = ROOT / "tests" / "data" / "portmap"
PICTURES = {"html": "html", "svg": "svg", "mermaid": "mmd"}

# The examples' collisions, as `portlint check examples` reports them
# (examples/expected/check.txt): code, then every claimant's location.
EXAMPLE_COLLISIONS = {
    "8080": ("PL401", ["docker-compose.yml:9:10", "docker-compose.yml:15:10"]),
    "8088": ("PL402", ["billing/compose.yaml:6:20", "search/compose.yaml:13:10"]),
    "8000-8100": ("PL406", ["dev-stack/compose.yaml:44:10"]),
    "8090": ("PL406", ["dev-stack/compose.yaml:8:10"]),
}


def picture(fmt: str, *paths: str, cwd: Path = ROOT) -> str:
    code, out, err = run_cli(["ports", "--format", fmt, *paths], cwd=cwd)
    assert (code, err) == (0, "")
    return out


@pytest.mark.parametrize("fmt", sorted(PICTURES))
def test_examples_golden(fmt: str) -> None:
    out = picture(fmt, "examples").replace(SHIPPED_DATE, "<registry date>")
    golden = GOLDENS / f"examples.{PICTURES[fmt]}"
    if os.environ.get("PORTLINT_UPDATE_GOLDENS"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", sorted(PICTURES))
def test_same_output_twice(fmt: str) -> None:
    assert picture(fmt, "examples") == picture(fmt, "examples")


def _page_data(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="pm-data">(.*?)</script>', page)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


def test_html_marks_the_collisions_check_reports() -> None:
    page = picture("html", "examples")
    data = _page_data(page)
    spots = {s[0]: s for s in data["spots"]}  # type: ignore[attr-defined]
    texts = data["texts"]
    flagged = {label for label, s in spots.items() if s[7] == 1}
    assert flagged == set(EXAMPLE_COLLISIONS)
    for label, (code, _) in EXAMPLE_COLLISIONS.items():
        assert any(texts[i].startswith(f"{code} ") for i in spots[label][8])  # type: ignore[index]
    # one table row per claim, the colliding ones with their code
    rows = re.findall(r"<tr( class=c)?><td>([^<]*)<td>.*?<td>([^<]*)<td>([^<\n]*)$", page, re.M)
    assert len(rows) == 16  # `portlint ports examples` lists 16 bindings
    for label, (code, locations) in EXAMPLE_COLLISIONS.items():
        marked = [(loc, codes) for cls, port, loc, codes in rows if port == label and cls]
        assert all(code in codes for _, codes in marked)
        for location in locations:
            assert any(loc.endswith(location) for loc, _ in marked), (label, location)


def test_html_is_self_contained_and_accessible() -> None:
    page = picture("html", "examples")
    # nothing fetched: no external script, style, font or image
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "<script src" not in page and "<link" not in page
    assert "prefers-color-scheme:dark" in page
    assert 'aria-sort="ascending"' in page
    heads = re.findall(r'<th scope="col" data-t="[nsl]"[^>]*><button type="button">', page)
    assert len(heads) == len(_portmap.TABLE_COLUMNS)
    assert 'aria-live="polite"' in page
    # the shipped script is inlined, and nothing in it can close the element early
    script = page[page.index("<script>\n") + 9 : page.rindex("</script>")]
    assert "</" not in script
    assert "addEventListener('keydown'" in script


def test_svg_is_well_formed_and_standalone() -> None:
    import xml.etree.ElementTree as ET

    svg = picture("svg", "examples")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    spots = root.findall(".//{http://www.w3.org/2000/svg}g[@class]")
    flagged = [g for g in spots if g.get("class") == "s c"]
    assert len(spots) == 12 and len(flagged) == len(EXAMPLE_COLLISIONS)
    titles = [g.findtext("{http://www.w3.org/2000/svg}title") or "" for g in flagged]
    for label, (code, locations) in EXAMPLE_COLLISIONS.items():
        title = next(t for t in titles if t.startswith(f"port {label}/"))
        assert f"{code}:" in title
        assert all(location in title for location in locations)
    assert "prefers-color-scheme:dark" in svg


# -- hostile names ---------------------------------------------------------------

HOSTILE = """\
services:
  "</script><script>alert(1)</script>":
    image: example/a
    ports: ["8080:80"]
  "b\\u202e<img src=x onerror=alert(2)>":
    image: example/b
    ports: ["8080:81"]
"""


@pytest.mark.parametrize("fmt", sorted(PICTURES))
def test_hostile_names_are_escaped(make_project, fmt: str) -> None:
    root = make_project({"<b>&x/compose.yaml": HOSTILE})
    out = picture(fmt, ".", cwd=root)
    assert "<script>alert" not in out
    assert "<img" not in out
    assert "<b>&x" not in out
    assert "\u202e" not in out
    if fmt == "html":
        assert "&lt;/script&gt;&lt;script&gt;alert(1)" in out  # the owner cell
        assert "&lt;b&gt;&amp;x/compose.yaml:7:14" in out  # the location cell
        assert "\\u003c/script\\u003e" in out  # the PL401 message in the page data
    if fmt == "svg":
        assert "&lt;img src=x onerror=alert(2)&gt;" in out
    if fmt == "mermaid":
        assert "#60;/script#62;#60;script#62;alert(1)#60;/script#62;" in out


# -- size ------------------------------------------------------------------------


def test_a_thousand_claims_fit_in_200_kb(make_project) -> None:
    """100 compose projects of 10 services each; paths as long as real ones."""
    files = {}
    for p in range(100):
        services = "".join(
            f"  service-{s:02d}:\n    image: example/service-{s:02d}:1.0\n    ports:\n"
            f'      - "{2000 + ((p * 10 + s) * 53) % 30000}:80"\n'
            for s in range(10)
        )
        files[f"services/team-{p:03d}-project/compose.yaml"] = "services:\n" + services
    root = make_project(files)
    page = picture("html", ".", cwd=root)
    assert page.count("<tr><td>") + page.count("<tr class=c><td>") == 1000
    assert len(page.encode("utf-8")) < 200_000


# -- mermaid structure -------------------------------------------------------------

NODE = re.compile(r'^    ([a-z_]+_\d+)\["([^"]*)"\]$')


def test_mermaid_structure() -> None:
    lines = picture("mermaid", "examples").splitlines()
    assert lines[0] == "flowchart LR"
    depth = 0
    nodes: dict[str, str] = {}
    classes: dict[str, list[str]] = {}
    defined: set[str] = set()
    for line in lines[1:]:
        if line.startswith("  subgraph "):
            assert re.fullmatch(r'  subgraph [a-z_]+\["[a-z ]+"\]', line), line
            depth += 1
        elif line == "  end":
            depth -= 1
        elif line.startswith("  classDef "):
            defined.add(line.split()[1])
        elif line.startswith("  class "):
            _, ids, name = line.split()
            classes[name] = ids.split(",")
        elif line == "    direction TB":
            assert depth == 1
        elif match := NODE.match(line):
            assert depth == 1 and match.group(1) not in nodes
            nodes[match.group(1)] = match.group(2)
        else:
            assert re.fullmatch(r"  [a-z_]+_\d+ --- [a-z_]+_\d+", line), line
        assert depth in (0, 1)
    assert depth == 0
    assert set(classes) <= defined
    flagged = {nodes[n].split("<br/>")[0] for n in classes["collision"]}
    assert flagged == {f"{label}/tcp {code}" for label, (code, _) in EXAMPLE_COLLISIONS.items()}
    for label, (_, locations) in EXAMPLE_COLLISIONS.items():
        node = next(v for v in nodes.values() if v.startswith(f"{label}/"))
        assert all(location in node for location in locations)


def test_readme_shows_the_browser_tests_screenshot() -> None:
    from tests.test_portmap_browser import png_pixels

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](docs/port-map.png)" in readme
    width, height, colours = png_pixels((ROOT / "docs" / "port-map.png").read_bytes())
    assert width > 800 and height > 600 and len(colours) > 50


def test_contested_ports_are_marked(make_project) -> None:
    """Two projects that never say they run together: contested, not a collision."""
    compose = 'services:\n  {name}:\n    image: example/{name}\n    ports: ["8080:80"]\n'
    root = make_project(
        {
            "alpha/compose.yaml": compose.format(name="web"),
            "beta/compose.yaml": compose.format(name="site"),
        }
    )
    code, out, err = run_cli(["ports", "--contested"], cwd=root)
    assert code == 0 and out.startswith("8080/tcp"), (out, err)
    spots = _page_data(picture("html", ".", cwd=root))["spots"]
    assert [(s[0], s[7], s[8]) for s in spots] == [("8080", 2, [])]  # type: ignore[attr-defined]
    mermaid = picture("mermaid", ".", cwd=root)
    assert '    host_0["8080/tcp contested<br/>web alpha/compose.yaml:4:14<br/>' in mermaid
    assert mermaid.endswith("  class host_0 contested\n")
    assert '<g class="s k" data-s="0">' in picture("svg", ".", cwd=root)


def test_contested_with_a_picture_format_is_a_usage_error() -> None:
    code, out, err = run_cli(["ports", "--contested", "--format", "html", "examples"], cwd=ROOT)
    assert (code, out) == (2, "")
    assert "--contested lists ports" in err


def test_the_map_marks_what_check_reports_so_a_suppression_applies(make_project) -> None:
    from tests.conftest import TWO_SERVICES_ON_8080

    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    spots = _page_data(picture("html", ".", cwd=root))["spots"]
    assert [(s[0], s[7]) for s in spots] == [("8080", 1)]  # type: ignore[attr-defined]
    silenced = TWO_SERVICES_ON_8080.replace(
        'ports: ["8080:8081"]', 'ports: ["8080:8081"]  # portlint: ignore[PL401]'
    )
    root = make_project({"compose.yaml": silenced})
    code, _, _ = run_cli(["check", "."], cwd=root)
    assert code == 0
    spots = _page_data(picture("html", ".", cwd=root))["spots"]
    assert [(s[0], s[7]) for s in spots] == [("8080", 0)]  # type: ignore[attr-defined]
