"""Writes the repository asks for stay inside the project root (issue 19, item 3).

A checkout is untrusted: its config's ``baseline`` and ``allocations``, and
the files it commits (a ``ports.toml`` or ``.portlint-baseline.json`` that is
a link), must not make ``--write-baseline`` or ``suggest --claim`` write
anywhere else (links resolved). A path typed on the command line is the
user's own choice and may go anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TWO_SERVICES_ON_8080, run_cli

BASELINE = '{\n  "version": 1,\n  "findings": []\n}\n'  # a file --write-baseline may replace
TEAM = '[[allocation]]\nport = 10001\nservice = "billing"\n'


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project, standing for the home folder of whoever runs portlint."""
    folder = tmp_path.resolve() / "home"  # resolved: messages name real paths (macOS /private)
    folder.mkdir()
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path.resolve() / "checkout"
    root.mkdir()
    (root / "compose.yaml").write_text(TWO_SERVICES_ON_8080, encoding="utf-8")
    return root


def _config(root: Path, body: str) -> None:
    (root / ".portlint.toml").write_text(body, encoding="utf-8")


@pytest.mark.parametrize("value", ["../home/x.json", "ABS", "~/x.json"])
def test_config_baseline_outside_is_not_written(
    project: Path, outside: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("HOME", str(outside))
    (outside / "x.json").write_text(BASELINE, encoding="utf-8")
    value = str(outside / "x.json") if value == "ABS" else value
    _config(project, f"baseline = {value!r}\n")
    code, out, err = run_cli(["check", "--write-baseline"], cwd=project)
    assert (code, out) == (2, "")
    # refused where the config names it, before anything runs
    shown = str(outside / "x.json") if value.startswith("/") else value
    assert err == (
        f"portlint: error: .portlint.toml:1:1: baseline: {shown!r} is outside the project root "
        f"({project}); a config file may name only files in the project (hint: pass --baseline "
        "on the command line to read it anyway)\n"
    )
    assert (outside / "x.json").read_text(encoding="utf-8") == BASELINE


def test_committed_baseline_link_to_outside_is_not_followed(project: Path, outside: Path) -> None:
    (outside / "x.json").write_text(BASELINE, encoding="utf-8")
    (project / ".portlint-baseline.json").symlink_to(outside / "x.json")
    code, out, err = run_cli(["check", "--write-baseline"], cwd=project)
    assert (code, out) == (2, "")
    assert err.startswith(
        "portlint: error: .portlint-baseline.json: refusing to write outside the project "
        f"{project} (it leads to {outside / 'x.json'}) (hint: "
    )
    assert (outside / "x.json").read_text(encoding="utf-8") == BASELINE


def test_a_path_typed_on_the_command_line_may_go_anywhere(project: Path, outside: Path) -> None:
    _config(project, 'baseline = "../home/x.json"\n')
    target = outside / "x.json"
    code, _, err = run_cli(
        ["check", "--baseline", str(target), f"--write-baseline={target}"], cwd=project
    )
    assert (code, err) == (0, f"portlint: wrote 1 finding(s) to {target}\n")
    target.unlink()
    code, _, err = run_cli(["check", "--baseline", "../home/x.json", "--write-baseline"], project)
    assert (code, err) == (0, f"portlint: wrote 1 finding(s) to {target}\n")
    assert '"code": "PL401"' in target.read_text(encoding="utf-8")


def test_a_link_inside_the_project_is_written_through(project: Path) -> None:
    (project / "ci").mkdir()
    (project / "ci" / "baseline.json").write_text(BASELINE, encoding="utf-8")
    (project / ".portlint-baseline.json").symlink_to(Path("ci") / "baseline.json")
    assert run_cli(["check", "--write-baseline"], cwd=project)[0] == 0
    assert (project / ".portlint-baseline.json").is_symlink()
    assert '"code": "PL401"' in (project / "ci" / "baseline.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["config", "link", "link-to-missing"])
def test_claim_outside_the_project_is_refused(project: Path, outside: Path, how: str) -> None:
    victim = outside / "ports.toml"
    if how != "link-to-missing":
        victim.write_text(TEAM, encoding="utf-8")
    if how == "config":
        _config(project, 'allocations = ["../home/ports.toml"]\n')
    else:
        (project / "ports.toml").symlink_to(victim)
    code, out, err = run_cli(["suggest", "--count", "1", "--claim", "evil"], cwd=project)
    assert (code, out) == (2, "")
    if how == "config":  # refused where the config names it, before anything runs
        assert err == (
            "portlint: error: .portlint.toml:1:1: allocations: '../home/ports.toml' is outside "
            f"the project root ({project}); a config file may name only files in the project "
            "(hint: keep the file inside the project)\n"
        )
    elif how == "link":  # refused by the guarded reader before the claim is prepared
        assert err == (
            "portlint: error: ports.toml: a symbolic link to outside the project: not read "
            "(hint: keep the allocation file inside the project)\n"
        )
    else:
        assert err == (
            f"portlint: error: ports.toml: refusing to write outside the project {project} "
            f"(it leads to {victim}) (hint: the repository's config or a link in it names this "
            "file; pass --allocation-file FILE to claim in a file outside the project)\n"
        )
    if how == "link-to-missing":
        assert not victim.exists()
    else:
        assert victim.read_text(encoding="utf-8") == TEAM
    assert sorted(p.name for p in outside.iterdir()) == (
        [] if how == "link-to-missing" else ["ports.toml"]
    )


def test_claim_into_a_file_typed_on_the_command_line(project: Path, outside: Path) -> None:
    shared = outside / "ports.toml"
    shared.write_text(TEAM, encoding="utf-8")
    code, out, err = run_cli(
        [
            "suggest",
            "--count",
            "1",
            "--near",
            "10001",
            "--claim",
            "web",
            "--allocation-file",
            str(shared),
        ],
        cwd=project,
    )
    assert code == 0, err
    assert int(out) != 10001
    assert err == f"claimed {int(out)}/tcp for web in {shared}\n"
    assert shared.read_text(encoding="utf-8") == (
        TEAM + f'\n[[allocation]]\nport = {int(out)}\nprotocol = "tcp"\nservice = "web"\n'
    )


def test_a_planted_lock_link_creates_nothing_outside(project: Path, outside: Path) -> None:
    (project / "ports.toml").write_text(TEAM, encoding="utf-8")
    (project / "ports.toml.lock").symlink_to(outside / "created")
    code, out, err = run_cli(["suggest", "--count", "1", "--claim", "web"], cwd=project)
    assert (code, out) == (2, "")
    assert err.startswith("portlint: error: ports.toml: cannot create the lock file ")
    assert list(outside.iterdir()) == []
    assert (project / "ports.toml").read_text(encoding="utf-8") == TEAM
