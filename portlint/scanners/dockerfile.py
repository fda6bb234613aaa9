"""Dockerfile ``EXPOSE``: the ports an image says it listens on.

Grammar (the Dockerfile reference)::

    # escape=`                        parser directive: the line-continuation character
    ARG PORT=8080                     build argument with a default (ARG A=1 B=2 also works)
    ENV API_PORT=3000 OTHER=x         ENV key=value ..., or the legacy ENV key value
    EXPOSE 80 443/tcp 8000-8010/udp   container ports; tcp, udp or sctp; ranges allowed
    EXPOSE $PORT ${PORT:-3000}        variables from ARG/ENV above, in this build stage
    FROM ...                          starts a stage: ENV and ARG start over; an ARG declared
                                      before the first FROM is visible again after ``ARG NAME``

Instructions continue over lines ending in the escape character; comment
lines inside a continuation are dropped, as BuildKit does. ``RUN``, ``COPY``
and ``ADD`` may open heredocs (``COPY <<EOF /etc/app.ini``, ``RUN <<-'EOT'``,
several on one line): the lines up to each delimiter are file content, never
instructions, so a php.ini line ``expose_php = Off`` or ``EXPOSE 1`` written
into a file is not read as ``EXPOSE``. A keyword is the first word, ended by
whitespace, as BuildKit splits it: ``expose_php`` is no ``EXPOSE`` either. ``EXPOSE 80:80``
is not valid (publishing is the runtime's business) and is reported as PL102.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from portlint.bindings import Location, Namespace, PortBinding
from portlint.findings import Problem
from portlint.scanners.base import ScanContext, ScanResult
from portlint.scanners.interpolate import EnvValue, interpolate, resolve_text
from portlint.scanners.portspec import PortSpecError, parse_protocol, parse_range
from portlint.source import SourceFile

_DIRECTIVE = re.compile(r"#\s*escape\s*=\s*(\S)\s*$", re.I)
_INSTRUCTION = re.compile(r"\S+")  # the keyword is the whole first word
# BuildKit's heredoc markers: ``<<WORD``, ``<<-WORD`` (leading tabs of the body
# and of the closing line are stripped), the word optionally quoted; ``<<<`` is
# a shell here-string, not a heredoc.
_HEREDOC = re.compile(r"(?<!<)<<(?!<)(-?)(?:\"([^\"\s]+)\"|'([^'\s]+)'|([A-Za-z0-9_.\-]+))")
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:=(\"[^\"]*\"|'[^']*'|\S*))?")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Instruction:
    keyword: str  # upper-case
    args: str  # the arguments on one logical line, continuations removed
    offsets: tuple[int, ...]  # file offset of every character of ``args``
    line: int  # 1-based line of the keyword


def instructions(source: SourceFile) -> list[Instruction]:
    """Logical instructions, each argument character mapped back to the file."""
    text = source.text
    lines = text.splitlines(keepends=True)
    escape = "\\"
    for raw in lines:  # parser directives sit at the very top, before anything else
        match = _DIRECTIVE.match(raw.strip())
        if match is None:
            break
        escape = match.group(1)
    out: list[Instruction] = []
    offset = 0
    chars: list[str] = []
    offsets: list[int] = []
    start_line = 0
    in_continuation = False
    heredocs: list[tuple[bool, str]] = []  # (strip tabs, delimiter) still to be closed
    for number, raw in enumerate(lines, start=1):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        line_offset = offset
        offset += len(raw)
        if heredocs:  # file content up to the delimiter, never an instruction
            strip_tabs, delimiter = heredocs[0]
            if (body.lstrip("\t") if strip_tabs else body) == delimiter:
                heredocs.pop(0)
            continue
        if not in_continuation:
            if not stripped or stripped.startswith("#"):
                continue
            start_line = number
            chars, offsets = [], []
        elif stripped.startswith("#") or not stripped:
            continue  # comments and blank lines inside a continuation are dropped
        continued = body.rstrip().endswith(escape)
        end = len(body.rstrip()) - 1 if continued else len(body)
        for i in range(end):
            chars.append(body[i])
            offsets.append(line_offset + i)
        if continued:
            in_continuation = True
            chars.append(" ")
            offsets.append(line_offset + end)
            continue
        in_continuation = False
        inst = _instruction("".join(chars), offsets, start_line)
        out.append(inst)
        if inst.keyword in _HEREDOC_KEYWORDS:
            heredocs = [
                (m.group(1) == "-", m.group(2) or m.group(3) or m.group(4))
                for m in _HEREDOC.finditer(inst.args)
            ]
    if in_continuation and chars:
        out.append(_instruction("".join(chars), offsets, start_line))
    return out


def _instruction(logical: str, offsets: list[int], line: int) -> Instruction:
    lead = len(logical) - len(logical.lstrip())
    match = _INSTRUCTION.match(logical, lead)
    keyword_end = match.end() if match else lead
    args_start = keyword_end
    while args_start < len(logical) and logical[args_start] in " \t":
        args_start += 1
    return Instruction(
        keyword=logical[lead:keyword_end].upper(),
        args=logical[args_start:],
        offsets=tuple(offsets[args_start:]),
        line=line,
    )


def image_owner(path: str) -> str:
    """``api/Dockerfile`` -> ``api``; ``web.Dockerfile`` -> ``web``; else the file name."""
    name = posixpath.basename(path)
    if name.lower().endswith(".dockerfile"):
        return name[: -len(".dockerfile")]
    folder = posixpath.basename(posixpath.dirname(path))
    return folder if folder not in ("", ".", "..") else name


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    result = ScanResult()
    owner = image_owner(source.path)
    global_args: dict[str, EnvValue] = {}
    scope: dict[str, EnvValue] = {}  # what ${VAR} sees in this stage: ARG and ENV
    env: dict[str, EnvValue] = {}  # ENV only: a later ``FROM <this stage>`` inherits it
    stage_env: dict[str, dict[str, EnvValue]] = {}
    seen_from = False
    for inst in instructions(source):
        if inst.keyword == "FROM":
            seen_from = True
            words = inst.args.split()
            base = words[0].lower() if words else ""
            env = dict(stage_env.get(base, {}))
            scope = dict(env)
            if len(words) >= 3 and words[-2].lower() == "as":
                stage_env[words[-1].lower()] = env
        elif inst.keyword == "ARG":
            _assign(source, inst, scope if seen_from else global_args, global_args)
        elif inst.keyword == "ENV":
            before = dict(scope)
            _assign(source, inst, scope, global_args)
            env.update({k: v for k, v in scope.items() if before.get(k) is not v})
        elif inst.keyword == "EXPOSE":
            _expose(source, inst, scope, owner, result)
    return result


def _location(source: SourceFile, inst: Instruction, start: int, end: int) -> Location:
    first = inst.offsets[start]
    last = inst.offsets[end - 1] + 1
    return source.location(first, last)


def _assign(
    source: SourceFile,
    inst: Instruction,
    scope: dict[str, EnvValue],
    global_args: dict[str, EnvValue],
) -> None:
    args = inst.args
    if inst.keyword == "ENV" and "=" not in args.split(" ", 1)[0]:
        key, _, value = args.partition(" ")  # legacy ``ENV KEY value with spaces``
        if key:
            start = len(key) + 1 + (len(value) - len(value.lstrip()))
            loc = _location(source, inst, start, len(args)) if value.strip() else None
            scope[key] = EnvValue(resolve_text(value.strip(), scope), loc)
        return
    for match in _ASSIGN.finditer(args):
        key, raw = match.group(1), match.group(2)
        if raw is None:
            if inst.keyword == "ARG" and key not in scope:
                inherited = global_args.get(key)
                if inherited is not None:
                    scope[key] = inherited
            continue
        value_start = match.start(2)
        unquoted = raw[1:-1] if raw[:1] in "'\"" and len(raw) >= 2 else raw
        if unquoted != raw:
            value_start += 1
        loc = (
            _location(source, inst, value_start, value_start + len(unquoted)) if unquoted else None
        )
        value = unquoted if raw.startswith("'") else resolve_text(unquoted, scope)
        scope[key] = EnvValue(value, loc)


def _expose(
    source: SourceFile,
    inst: Instruction,
    scope: dict[str, EnvValue],
    owner: str,
    result: ScanResult,
) -> None:
    for token in _TOKEN.finditer(inst.args):
        raw = token.group()
        where = _location(source, inst, token.start(), token.end())
        resolved = interpolate(raw, scope)
        if resolved.error is not None:
            result.problems.append(Problem("PL102", where, resolved.error[1], anchor="EXPOSE"))
            continue
        if resolved.unresolved:
            for unset in resolved.unresolved:
                result.problems.append(
                    Problem(
                        "PL104",
                        _location(
                            source, inst, token.start() + unset.start, token.start() + unset.end
                        ),
                        f"{unset.message}: EXPOSE {raw} does not resolve",
                        hint=f"give it a default: ARG {unset.name}=<port>",
                        anchor="EXPOSE",
                    )
                )
            continue
        text = resolved.text
        body, slash, proto = text.partition("/")
        if ":" in body:
            result.problems.append(
                Problem(
                    "PL102",
                    where,
                    f"EXPOSE takes container ports only, not a mapping: {raw!r}",
                    hint="publish ports at run time (compose `ports:` or `docker run -p`)",
                    anchor="EXPOSE",
                )
            )
            continue
        try:
            start, end = parse_range(body, "exposed port", raw)
            protocol = parse_protocol(proto, raw) if slash else "tcp"
        except PortSpecError as exc:
            result.problems.append(Problem(exc.code, where, exc.message, exc.hint, anchor="EXPOSE"))
            continue
        lo, hi = resolved.span(0, len(body))
        result.bindings.append(
            PortBinding(
                location=_location(source, inst, token.start() + lo, token.start() + hi),
                kind="dockerfile",
                owner=owner,
                role="container",
                port=start,
                end_port=end if end != start else None,
                protocol=protocol,
                text=raw,
                key_path=("EXPOSE",),
                identities=(owner,),
                origin=resolved.origin(0, len(body)),
                namespace=Namespace("container", f"dockerfile:{source.path}"),
            )
        )
