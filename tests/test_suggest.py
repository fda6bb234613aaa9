"""`portlint suggest`: free in every sense; --claim writes the allocation file."""

from __future__ import annotations

from portlint import registry
from portlint.registry import wellknown
from portlint.registry.allocations import Allocation, merge
from portlint.registry.free import is_free, suggest
from tests.conftest import run_cli

EPHEMERAL = (32768, 60999)


def test_is_free_excludes_every_kind_of_taken() -> None:
    allocs = merge([Allocation("udp", 10276, 10276, "x")])
    assert is_free(10277, set(), None, EPHEMERAL)
    assert not is_free(10276, set(), allocs, EPHEMERAL)  # allocated, even for another protocol
    assert not is_free(10277, {10277}, None, EPHEMERAL)  # used in the repository
    assert not is_free(5432, set(), None, EPHEMERAL)  # IANA + well-known
    assert not is_free(10500, set(), None, EPHEMERAL)  # IANA reserved
    assert not is_free(4318, set(), None, EPHEMERAL)  # unassigned, but OTLP/HTTP's default
    assert not is_free(1000, set(), None, EPHEMERAL)
    assert not is_free(40000, set(), None, EPHEMERAL)
    assert not is_free(50000, set(), None, EPHEMERAL)


def test_suggestions_are_really_free_and_nearest_first() -> None:
    found = suggest(5, 10276, {10275}, None, EPHEMERAL)
    assert found[0] in (10276, 10277, 10274) and len(found) == 5
    distances = [abs(p - 10276) for p in found]
    assert distances == sorted(distances)
    for port in found:
        assert all(e.status == "unassigned" for e in registry.lookup(port))
        assert port not in wellknown.load() and port != 10275


def test_cli_suggest_and_claim(make_project) -> None:
    root = make_project(
        {
            "compose.yaml": "services:\n  api:\n    image: x\n    ports: ['10277:80']\n",
            "ports.toml": '# Our ports.\n[[allocation]]\nport = 10276\nservice = "billing"\n',
        }
    )
    code, out, err = run_cli(["suggest", "--near", "10276", "--count", "2"], cwd=root)
    assert (code, err) == (0, "")
    first, second = (int(x) for x in out.split())
    assert 10276 not in (first, second) and 10277 not in (first, second)
    code, out, err = run_cli(["suggest", "--near", "10276", "--claim", "search"], cwd=root)
    assert code == 0
    claimed = int(out.split()[0])
    assert claimed == first
    assert err == f"claimed {claimed}/tcp for search in ports.toml\n"
    assert (root / "ports.toml").read_text(encoding="utf-8") == (
        '# Our ports.\n[[allocation]]\nport = 10276\nservice = "billing"\n\n'
        f'[[allocation]]\nport = {claimed}\nprotocol = "tcp"\nservice = "search"\n'
    )
    # the claimed port is no longer suggested
    _, out, _ = run_cli(["suggest", "--near", "10276", "--count", "1"], cwd=root)
    assert int(out) != claimed


def test_cli_suggest_refuses_a_broken_allocation_file(make_project) -> None:
    root = make_project({"ports.toml": "[[allocation]]\nport = 1\n"})
    code, out, err = run_cli(["suggest"], cwd=root)
    assert (code, out) == (2, "")
    assert err == "portlint: error: ports.toml:1: an allocation needs a `service` name\n"


def test_suggest_avoids_the_range_pl302_judges_by(make_project) -> None:
    """PL302's own `range` option, not only `ephemeral-range`: never suggest what check flags."""
    root = make_project(
        {
            "pyproject.toml": (
                '[tool.portlint]\n\n[tool.portlint.rules.PL302]\nrange = "20000-30000"\n'
            )
        }
    )
    code, out, _ = run_cli(["suggest", "--near", "25000", "--count", "3"], cwd=root)
    assert code == 0
    assert all(not 20000 <= int(p) <= 30000 for p in out.split()), out


def test_suggest_from_a_subfolder_sees_the_whole_project(make_project) -> None:
    import subprocess

    root = make_project(
        {
            "compose.yaml": 'services:\n  api:\n    image: x\n    ports: ["10011:80"]\n',
            "ports.toml": '[[allocation]]\nport = 10012\nservice = "billing"\n',
            "sub/README.md": "docs\n",
        }
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    code, out, err = run_cli(["suggest", "--count", "1", "--claim", "web"], cwd=root / "sub")
    assert code == 0, err
    port = int(out)
    assert port not in (10011, 10012)
    assert not (root / "sub" / "ports.toml").exists()
    assert f"port = {port}" in (root / "ports.toml").read_text(encoding="utf-8")


def test_claim_keeps_a_crlf_file_crlf(make_project) -> None:
    original = b'# team ports\r\n[[allocation]]\r\nport = 10280\r\nservice = "a"\r\n'
    root = make_project({"ports.toml": original})
    code, out, err = run_cli(["suggest", "--count", "1", "--claim", "svc"], cwd=root)
    assert code == 0, err
    data = (root / "ports.toml").read_bytes()
    assert data.startswith(original)
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith(f'port = {int(out)}\r\nprotocol = "tcp"\r\nservice = "svc"\r\n'.encode())


def test_claim_into_an_inline_array_is_refused_before_anything_is_printed(make_project) -> None:
    original = 'allocation = [ {port = 10280, service = "a"}, ]\n'
    root = make_project({"ports.toml": original})
    assert run_cli(["check", "."], cwd=root)[0] == 0  # the file itself is fine
    code, out, err = run_cli(["suggest", "--count", "1", "--claim", "svc"], cwd=root)
    assert (code, out) == (2, "")
    assert "cannot append an [[allocation]] table to this file" in err
    assert (root / "ports.toml").read_text(encoding="utf-8") == original


def test_the_claim_example_of_docs_allocations_md_is_real(tmp_path) -> None:
    import re
    import shutil

    from tests.conftest import ROOT, run_cli

    doc = (ROOT / "docs" / "allocations.md").read_text(encoding="utf-8")
    block = re.search(r"```\n\$ cd examples && (portlint suggest [^\n]*)\n(.*?)```", doc, re.S)
    assert block is not None
    command, shown = block.group(1), block.group(2)
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", examples)
    code, out, err = run_cli(command.split()[1:], cwd=examples)
    assert code == 0
    assert shown == out + err
    assert 'service = "search"' in (examples / "ports.toml").read_text(encoding="utf-8")
