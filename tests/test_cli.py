"""The command line, in-process through ``main(argv)``, plus one real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from portlint import __version__
from tests.conftest import ROOT, SHIPPED_DATE, run_cli


def test_version() -> None:
    assert run_cli(["--version"]) == (0, f"portlint {__version__}\n", "")


def test_port_unassigned_in_registered_range() -> None:
    code, out, _ = run_cli(["port", "10276", "--no-listening"])
    assert code == 0
    assert "range: registered (user) range 1024-49151" in out
    assert f"unassigned in the IANA registry (as of {SHIPPED_DATE})" in out
    assert "reserved: no" in out


def test_port_postgresql() -> None:
    code, out, _ = run_cli(["port", "5432/tcp", "--no-listening"])
    assert code == 0
    assert "  5432/tcp  postgresql: PostgreSQL Database\n" in out


def test_port_ssh_system_range() -> None:
    code, out, _ = run_cli(["port", "22", "--no-listening"])
    assert code == 0
    assert "range: system (well-known) range 0-1023" in out
    assert "22/tcp  ssh: The Secure Shell (SSH) Protocol" in out
    assert "22/udp  ssh:" in out


def test_port_reserved() -> None:
    _, out, _ = run_cli(["port", "1024", "--no-listening", "--no-repo"])
    assert "  1024/tcp  reserved\n  1024/udp  reserved\n" in out
    assert "  reserved: yes (IANA keeps it unassigned on purpose)\n" in out


def test_port_reserved_for_one_protocol_only() -> None:
    """6379 is redis on TCP but Reserved on UDP: say which, not a bare "yes"."""
    _, out, _ = run_cli(["port", "6379", "--no-listening", "--no-repo"])
    assert "  6379/tcp  redis: An advanced key-value cache and store\n" in out
    assert "  6379/udp  reserved\n  reserved: for udp only\n" in out
    assert out.endswith("listening now: not checked (--no-listening)\n")


def test_port_names_the_host_holder() -> None:
    """PL601's table: who holds the port on the machine itself, per platform."""
    _, out, _ = run_cli(["port", "53/udp", "--no-listening", "--no-repo"])
    assert (
        "held by the host:\n"
        "  Linux: systemd-resolved stub listener on 127.0.0.53, 127.0.0.54, "
        "since Ubuntu 17.10, Fedora 33\n"
        "  Linux: dnsmasq of libvirt's default network on 192.168.122.1\n"
    ) in out
    _, out, _ = run_cli(["port", "5000/udp", "--no-listening", "--no-repo"])
    assert "held by the host" not in out  # AirPlay holds 5000/tcp only


def test_port_unassigned_for_the_asked_protocol() -> None:
    _, out, _ = run_cli(["port", "80/dccp", "--no-listening", "--no-repo"])
    assert f"  unassigned in the IANA registry for dccp (as of {SHIPPED_DATE})\n" in out


def test_port_json() -> None:
    code, out, _ = run_cli(["port", "80/tcp", "--format", "json", "--no-listening"])
    data = json.loads(out)
    assert (code, data["port"], data["protocol"], data["range"]) == (0, 80, "tcp", "system")
    assert data["iana"][0]["name"] == "http"
    assert data["iana"][0]["aliases"] == ["www", "www-http"]
    assert data["listening"] is None


def test_port_listening_sees_our_own_socket() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        _, out, _ = run_cli(["port", f"{port}/tcp", "--format", "json"])
    data = json.loads(out)
    if data["listening"] is None:  # not Linux
        return
    (entry,) = data["listening"]
    assert (entry["protocol"], entry["address"]) == ("tcp", "127.0.0.1")
    assert entry["pid"] is not None and entry["process"]


def test_port_out_of_range_is_a_usage_error() -> None:
    assert run_cli(["port", "70000"]) == (
        2,
        "",
        "portlint: error: port 70000 is out of range 0-65535\n",
    )


def test_port_not_a_number() -> None:
    code, out, err = run_cli(["port", "http"])
    assert (code, out) == (2, "")
    assert err.startswith("portlint: error: 'http' is not a port number")


def test_default_command_is_check(make_project) -> None:
    root = make_project({"compose.yaml": "services:\n  a:\n    image: x\n    ports: ['8080:80']\n"})
    assert run_cli([str(root)]) == run_cli(["check", str(root)])
    code, out, _ = run_cli([str(root)])
    assert code == 0 and out == "All clear: no problems in 1 file.\n"


def test_findings_exit_one_and_exit_zero(make_project) -> None:
    root = make_project(
        {
            "compose.yaml": "services:\n  a:\n    image: x\n    ports: ['8080:80']\n"
            "  b:\n    image: y\n    ports: ['8080:81']\n"
        }
    )
    code, out, _ = run_cli(["check", "compose.yaml"], cwd=root)
    assert code == 1
    assert out.splitlines()[0] == (
        'compose.yaml:7:14: error PL401 host port 8080/tcp is already published by service "a" '
        "(compose.yaml:4:14)"
    )
    assert out.splitlines()[-2:] == [
        "Found 1 problem (1 error) in 1 file.",
        "1 with an unsafe fix (`--unsafe-fixes`).",
    ]
    assert run_cli(["check", "--exit-zero", "compose.yaml"], cwd=root)[0] == 0
    assert run_cli(["check", "--ignore", "PL4", "compose.yaml"], cwd=root)[0] == 0
    assert run_cli(["check", "--fail-on", "error", "compose.yaml"], cwd=root)[0] == 1


def test_missing_path_is_a_usage_error(tmp_path) -> None:
    code, out, err = run_cli(["check", str(tmp_path / "nope")])
    assert (code, out) == (2, "")
    assert err.endswith("nope: no such file or directory\n")


def test_unknown_rule_selector_is_a_usage_error() -> None:
    code, _, err = run_cli(["check", "--select", "PL999", "."])
    assert code == 2 and "unknown rule code or name 'PL999'" in err


def test_bad_flag_is_exit_two() -> None:
    code, _, err = run_cli(["check", "--no-such-flag"])
    assert code == 2 and "unrecognized arguments" in err


def test_rule_manual_and_list() -> None:
    code, out, _ = run_cli(["rule", "duplicate-host-port"])
    assert code == 0 and out.startswith("# duplicate-host-port (PL401)\n")
    code, out, _ = run_cli(["rule", "--all", "--format", "json"])
    assert code == 0 and "PL401" in [r["code"] for r in json.loads(out)]
    assert run_cli(["rule", "PL999"])[0] == 2


def test_registry_info() -> None:
    code, out, _ = run_cli(["registry", "info", "--format", "json"])
    data = json.loads(out)
    assert (code, data["registry_date"]) == (0, SHIPPED_DATE)


def test_registry_build_from_csv(tmp_path) -> None:
    export = tmp_path / "ports.csv"
    export.write_text(
        "Service Name,Port Number,Transport Protocol,Description,Assignee,Contact,"
        "Registration Date,Modification Date,Reference,Service Code,"
        "Unauthorized Use Reported,Assignment Notes\n"
        "ssh,22,tcp,The Secure Shell (SSH) Protocol,[RFC4251],[Tatu_Ylonen],,2024-01-02,,,,\n",
        encoding="utf-8",
    )
    out_file = tmp_path / "snap.tsv"
    code, _, err = run_cli(["registry", "build", "--from", str(export), "-o", str(out_file)])
    assert code == 0, err
    assert out_file.read_text(encoding="utf-8").splitlines() == [
        "#portlint-iana-snapshot\t1\t2024-01-02\tports.csv",
        "22\t\ttcp\ta\tssh\t\t2024-01-02\tThe Secure Shell (SSH) Protocol",
    ]


def test_console_script_smoke() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "portlint", "examples/clean-shop"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("All clear")


def test_rule_json_is_an_object_for_one_rule() -> None:
    code, out, _ = run_cli(["rule", "PL201", "--format", "json"])
    data = json.loads(out)
    assert code == 0
    assert (data["code"], data["name"], data["severity"]) == (
        "PL201",
        "well-known-port-conflict",
        "warning",
    )


@pytest.mark.parametrize("date", ["2026-13-45", "yesterday"])
def test_registry_build_rejects_an_impossible_date(tmp_path, date) -> None:
    export = tmp_path / "ports.csv"
    export.write_text("Service Name,Port Number,Transport Protocol,Description\nssh,22,tcp,SSH\n")
    code, out, err = run_cli(["registry", "build", "--from", str(export), "--date", date])
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: invalid --date {date!r} (hint: give the registry date as YYYY-MM-DD)\n"
    )
