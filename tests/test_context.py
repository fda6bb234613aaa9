"""Given files (as pre-commit passes them): scan the project, report on those files."""

from __future__ import annotations

from tests.conftest import run_cli

BASE = 'services:\n  api:\n    image: example/api\n    ports: ["8080:80"]\n'
EXTRA = 'services:\n  admin:\n    image: example/admin\n    ports: ["8080:8081"]\n'
OTHER = (
    'services:\n  a:\n    image: x\n    ports: ["9010:1"]\n'
    '  b:\n    image: y\n    ports: ["9010:2"]\n'
)


def _codes(out: str) -> list[str]:
    return [
        " ".join(line.split(" ")[:3:2]) for line in out.splitlines() if not line.startswith(" ")
    ]


def test_given_file_reports_collisions_with_unchanged_files_only(make_project) -> None:
    root = make_project(
        {
            ".portlint.toml": "",
            "app/compose.yaml": BASE,
            "app/compose.override.yaml": EXTRA,
            "other/compose.yaml": OTHER,
        }
    )
    code, out, _ = run_cli(["check", "-q", "--no-color", "app/compose.override.yaml"], cwd=root)
    assert code == 1
    assert _codes(out) == ["app/compose.yaml:4:14: PL401"]  # related to the given file
    # other/ has its own collision, never reported for a commit that did not touch it
    assert run_cli(["check", "-q", "other/compose.yaml"], cwd=root)[0] == 1
    code, out, _ = run_cli(["check", "-q", "--no-color", "."], cwd=root)
    assert _codes(out) == ["app/compose.yaml:4:14: PL401", "other/compose.yaml:7:14: PL401"]


def test_no_project_context_scans_only_the_given_file(make_project) -> None:
    root = make_project(
        {".portlint.toml": "", "compose.yaml": BASE, "compose.override.yaml": EXTRA}
    )
    assert run_cli(["check", "-q", "--no-project-context", "compose.override.yaml"], root) == (
        0,
        "",
        "",
    )


def test_force_exclude_drops_an_excluded_given_file(make_project) -> None:
    root = make_project(
        {
            ".portlint.toml": 'exclude = ["legacy"]\n',
            "legacy/compose.yaml": OTHER,
        }
    )
    assert run_cli(["check", "-q", "legacy/compose.yaml"], cwd=root)[0] == 1
    assert run_cli(["check", "-q", "--force-exclude", "legacy/compose.yaml"], cwd=root) == (
        0,
        "",
        "",
    )


def test_include_adds_files_the_default_names_miss(make_project) -> None:
    stack = OTHER.replace("services:", "name: stack\nservices:")
    root = make_project({"ops/stack.yaml": stack, "tpl/stack.yml.j2": stack})
    # the two copies are two projects claiming the same ports: PL402, not this test's subject
    (root / ".portlint.toml").write_text('ignore = ["PL402"]\n', encoding="utf-8")

    def located() -> list[str]:
        _, out, _ = run_cli(["check", "-q", "--no-color", "."], cwd=root)
        return [line.split(" ")[0] for line in out.splitlines() if not line.startswith(" ")]

    assert located() == ["ops/stack.yaml:8:14:"]
    (root / ".portlint.toml").write_text(
        'include = ["*.j2"]\nignore = ["PL402"]\n', encoding="utf-8"
    )
    assert located() == ["ops/stack.yaml:8:14:", "tpl/stack.yml.j2:8:14:"]


def test_given_files_report_exactly_the_full_runs_findings_about_them(tmp_path) -> None:
    """Pre-commit mode is a filter, never a different verdict.

    For every file of the multi-project fixture, naming that file alone gives
    the findings of a whole-repository run that sit in it or point at it,
    no more and no fewer (per-binding rules judge only the named file's
    bindings there, project rules still see everything).
    """
    import json
    import shutil
    import subprocess

    from tests.conftest import FIXTURES

    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "monorepo", root)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)

    def findings(*paths: str) -> list[dict[str, object]]:
        _, out, err = run_cli(["check", "--select", "ALL", "--format", "json", *paths], cwd=root)
        assert err == ""
        found: list[dict[str, object]] = json.loads(out)["findings"]
        return found

    def about(finding: dict[str, object], path: str) -> bool:
        related = finding["related"]
        assert isinstance(related, list)
        paths = [finding["location"]["path"], *(r["path"] for r in related)]  # type: ignore[index]
        return path in paths

    everything = findings(".")
    with_findings = {f["location"]["path"] for f in everything}  # type: ignore[index]
    files = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    )
    assert len(with_findings) >= 4 and len(files) > len(with_findings)
    for path in files:
        assert findings(path) == [f for f in everything if about(f, path)], path
