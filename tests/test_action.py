"""The composite GitHub Action: valid metadata, and steps that do what the README says."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
SCHEMA = ROOT / "tests" / "data" / "github-action" / "github-action.json"
SCHEMA_SHA256 = "224326cc5a334bdb97b56b6fc320cd4381ba7d61b477b425ed506e6a420b52ba"


def action() -> dict[str, object]:
    data = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_schema_is_the_one_the_readme_names() -> None:
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert digest == SCHEMA_SHA256
    assert SCHEMA_SHA256 in (SCHEMA.parent / "README.md").read_text(encoding="utf-8")


def test_action_yml_validates_against_the_published_schema() -> None:
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(action(), schema, cls=jsonschema.Draft7Validator)


def test_the_schema_refuses_a_broken_action() -> None:
    """The validation can fail: a composite run step without `shell` is refused."""
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = action()
    runs = broken["runs"]
    assert isinstance(runs, dict)
    runs["steps"] = [{"run": "true"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft7Validator)


def test_inputs_and_the_actions_it_uses() -> None:
    data = action()
    inputs = data["inputs"]
    assert isinstance(inputs, dict)
    assert {"version", "args", "format"} <= set(inputs)
    assert inputs["format"]["default"] == "github"
    text = ACTION.read_text(encoding="utf-8")
    assert re.findall(r"uses: (\S+)", text) == ["github/codeql-action/upload-sarif@v4"]
    # inputs reach the shell through env, never pasted into a script
    for step in data["runs"]["steps"]:  # type: ignore[index]
        assert "${{" not in step.get("run", "")


def test_the_readme_documents_every_input() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in action()["inputs"]:  # type: ignore[union-attr]
        assert f"`{name}`" in readme, name


def _run_step(name: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    step = next(s for s in action()["runs"]["steps"] if s["name"] == name)  # type: ignore[index]
    return subprocess.run(
        # as the runner runs `shell: bash`: bash --noprofile --norc -eo pipefail
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_steps_install_and_run_portlint(tmp_path: Path) -> None:
    """The two run steps, in a fake runner: install from the action's own copy, then run."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "compose.yaml").write_text(
        'services:\n  a:\n    ports: ["8080:80"]\n  b:\n    ports: ["8080:81"]\n'
    )
    github_env, github_output = tmp_path / "env", tmp_path / "output"
    github_env.write_text("")
    github_output.write_text("")
    runner = {
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_ENV": str(github_env),
        "GITHUB_OUTPUT": str(github_output),
    }
    install = _run_step(
        "Install portlint",
        {**runner, "VERSION": "", "PYTHON": sys.executable, "ACTION_PATH": str(ROOT)},
        project,
    )
    assert install.returncode == 0, install.stderr
    assert install.stdout.startswith("portlint ")
    python = github_env.read_text().strip().partition("=")[2]
    run = _run_step(
        "Run portlint",
        {**runner, "PORTLINT_PYTHON": python, "ARGS": "", "FORMAT": "github", "SARIF_FILE": "x"},
        project,
    )
    assert run.returncode == 1
    assert "\n::error file=compose.yaml,line=5,col=14," in run.stdout
    assert "exit-code=1" in github_output.read_text()
    github_output.write_text("")
    sarif = _run_step(
        "Run portlint",
        {
            **runner,
            "PORTLINT_PYTHON": python,
            "ARGS": ". --fail-on error",
            "FORMAT": "sarif",
            "SARIF_FILE": "out.sarif",
        },
        project,
    )
    assert sarif.returncode == 0  # the verdict comes after the upload
    assert github_output.read_text().splitlines() == ["sarif-file=out.sarif", "exit-code=1"]
    assert json.loads((project / "out.sarif").read_text())["runs"][0]["results"]
