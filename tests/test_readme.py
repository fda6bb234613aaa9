"""The README's promises are the product's behaviour: its sample output is real."""

from __future__ import annotations

import re

from tests.conftest import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    """The body of the first fenced block that follows ``marker``."""
    start = README.index(marker)
    match = re.compile(r"```[a-z]*\n(.*?)```", re.S).search(README, start + len(marker))
    assert match is not None, f"no code block after {marker!r}"
    return match.group(1)


def test_examples_output_in_readme_is_the_golden() -> None:
    shown = _block_after("pip install . && portlint examples/\n```")
    expected = (ROOT / "examples" / "expected" / "check.txt").read_text(encoding="utf-8")
    assert shown == expected


def test_port_sample_in_readme_is_what_portlint_prints() -> None:
    shown = _block_after("on Linux, from the").split("\n", 1)[1]  # drop the `$ ...` line
    _, out, _ = run_cli(["port", "10276"], cwd=ROOT / "examples")
    # The last line reports this machine's sockets: compare everything before it.
    assert shown.splitlines()[:-1] == out.splitlines()[:-1]
    assert out.splitlines()[-1].startswith("listening now:")


def test_ci_runs_the_readme_test_command() -> None:
    command = _block_after("Run the whole test suite").strip()
    assert command == 'pip install -e ".[test]" && python -m pytest'
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()


def test_preflight_sample_in_readme_is_what_portlint_prints() -> None:
    """The sample with this test holding 127.0.0.1:5433, as http.server did for it;
    the holder's name and pid, and the suggestion, are this machine's."""
    import socket

    import pytest

    from portlint.commands import _listening

    if not _listening.supported():
        pytest.skip("no /proc/net socket tables (not Linux)")
    shown = _block_after("holding 5433:").split("\n", 1)[1]
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", 5433))
        except OSError:
            pytest.skip("127.0.0.1:5433 is in use on this machine")
        sock.listen()
        code, out, _ = run_cli(["preflight", "examples/dev-stack", "--no-docker"], cwd=ROOT)

    def same(text: str) -> list[str]:
        text = re.sub(r"held by \S+ \(pid \d+\)", "held by P", text)
        text = re.sub(r"use \d+, free now", "use N, free now", text)
        return [line for line in text.splitlines() if not line.startswith("docker:")]

    if "5 host port(s): 4 free, 1 taken" not in out:
        pytest.skip("other ports of examples/dev-stack are in use on this machine")
    assert code == 1
    assert same(out) == same(shown)


def test_every_release_the_readme_names_is_this_version() -> None:
    """pre-commit's `rev`, the action's `@ref` and the git-URL installs name one tag:
    the release being made (the tag `v<version>` must exist once it is published)."""
    from portlint import __version__

    tags = set(re.findall(r"(?:rev: |@|/tags/)(v\d+\.\d+\.\d+)", README))
    assert tags == {f"v{__version__}"}
