"""IANA's registry exports (XML or CSV) -> portlint's compact snapshot.

A developer tool and the engine of ``portlint registry build``; never run at
lint time. The snapshot is a UTF-8, tab-separated text file so that a registry
refresh shows up as a readable diff:

    #portlint-iana-snapshot<TAB>1<TAB>REGISTRY-DATE<TAB>SOURCE
    START<TAB>END<TAB>PROTO<TAB>STATUS<TAB>NAME<TAB>ALIASES<TAB>UPDATED<TAB>DESCRIPTION

END is empty for a single port; PROTO is empty when the record applies to
every protocol; STATUS is one letter (a assigned, r reserved, u unassigned,
h historic); ALIASES is comma-separated; DESCRIPTION has ``\\n`` for newlines.
Records IANA marks as aliases or duplicates of another name on the same port
and protocol (80/tcp ``www`` and ``www-http`` of ``http``) become ALIASES of
that name's row. People, contacts,
references and notes are dropped. Records without a port number (service
names registered for DNS-SD only) are dropped too.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from portlint.errors import UsageError

FORMAT = "#portlint-iana-snapshot"
FORMAT_VERSION = "1"
_NS = "{http://www.iana.org/assignments}"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ALIAS_NOTE = re.compile(r'(?:alias to|duplicate of the) "([^"]+)"')
_HISTORIC = ("de-registered", "deregistered", "removed", "historic")
STATUS_LETTERS = {"assigned": "a", "reserved": "r", "unassigned": "u", "historic": "h"}


@dataclass(slots=True)
class RawRecord:
    start: int
    end: int | None
    protocol: str  # "" applies to every protocol
    name: str
    description: str
    updated: str  # the record's modification (or registration) date, "" if none
    alias_of: str = ""  # IANA's note "This entry is an alias to "x"" names x


@dataclass(slots=True)
class Row:
    start: int
    end: int | None
    protocol: str
    status: str
    name: str
    description: str
    updated: str
    aliases: list[str] = field(default_factory=list)


def classify(name: str, description: str) -> str:
    """assigned / reserved / unassigned / historic, from what IANA writes."""
    desc = " ".join(description.split()).lower()
    if not name:
        if desc.startswith("unassigned"):
            return "unassigned"
        if desc.startswith("reserved"):
            return "reserved"
        if desc.startswith(_HISTORIC):
            return "historic"
    if desc.startswith(_HISTORIC):
        return "historic"
    if name and desc == "reserved":
        return "reserved"
    return "assigned"


def parse_number(text: str) -> tuple[int, int | None] | None:
    text = text.strip()
    if not text:
        return None
    start_text, _, end_text = text.partition("-")
    try:
        start = int(start_text)
        end = int(end_text) if end_text else None
    except ValueError:
        return None
    if end == start:
        end = None
    return start, end


def _clean(text: str | None) -> str:
    """Collapse IANA's hard-wrapped description lines, keep paragraph breaks."""
    if not text:
        return ""
    lines = [line.strip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if out and line and out[-1]:
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out)


def _alias_of(note: str | None) -> str:
    match = _ALIAS_NOTE.search(note or "")
    return match.group(1) if match else ""


def read_xml(data: bytes) -> tuple[str, list[RawRecord]]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UsageError(f"not a well-formed IANA XML export: {exc}") from None
    date = (root.findtext(f"{_NS}updated") or "").strip()
    records: list[RawRecord] = []
    for rec in root.iter(f"{_NS}record"):
        number = parse_number(rec.findtext(f"{_NS}number") or "")
        if number is None:
            continue
        records.append(
            RawRecord(
                start=number[0],
                end=number[1],
                protocol=(rec.findtext(f"{_NS}protocol") or "").strip().lower(),
                name=(rec.findtext(f"{_NS}name") or "").strip(),
                description=_clean(rec.findtext(f"{_NS}description")),
                updated=rec.get("updated") or rec.get("date") or "",
                alias_of=_alias_of(rec.findtext(f"{_NS}note")),
            )
        )
    return date, records


def read_csv(data: bytes) -> tuple[str, list[RawRecord]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"not an IANA export: not UTF-8 text (byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise UsageError(f"not an IANA CSV export: {exc}") from None
    if not fieldnames or "Port Number" not in fieldnames:
        raise UsageError("not an IANA CSV export: no 'Port Number' column")
    records: list[RawRecord] = []
    newest = ""
    for row in _rows(reader):
        number = parse_number(row.get("Port Number") or "")
        updated = (row.get("Modification Date") or row.get("Registration Date") or "").strip()
        for date in (row.get("Modification Date"), row.get("Registration Date")):
            if date and _DATE.match(date.strip()) and date.strip() > newest:
                newest = date.strip()
        if number is None:
            continue
        records.append(
            RawRecord(
                start=number[0],
                end=number[1],
                protocol=(row.get("Transport Protocol") or "").strip().lower(),
                name=(row.get("Service Name") or "").strip(),
                description=_clean(row.get("Description")),
                updated=updated,
                alias_of=_alias_of(row.get("Assignment Notes")),
            )
        )
    # The CSV carries no "last updated" field; its newest row date is the best stand-in.
    return newest, records


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise UsageError(f"not an IANA CSV export: line {reader.line_num}: {exc}") from None


def read_export(data: bytes) -> tuple[str, list[RawRecord]]:
    """Either export format, told apart by content rather than file name."""
    head = data[:512].lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<registry"):
        return read_xml(data)
    return read_csv(data)


def merge(records: Iterable[RawRecord]) -> list[Row]:
    """One row per port, protocol and service; IANA's alias records become aliases.

    IANA marks an alias with a note ("This entry is an alias to "whoispp"",
    "a duplicate of the "http" service"); the alias joins the row of the name
    it points to. Nameless records (reserved, unassigned) stay one row each.
    """
    recs = list(records)
    named = {(r.start, r.end, r.protocol, r.name) for r in recs if r.name}
    rows: dict[tuple[int, int | None, str, str], Row] = {}
    aliases: list[RawRecord] = []
    for rec in recs:
        target = rec.alias_of
        if rec.name and target and (rec.start, rec.end, rec.protocol, target) in named:
            aliases.append(rec)
            continue
        key = (rec.start, rec.end, rec.protocol, rec.name or "\x00" + rec.description)
        if key not in rows:
            rows[key] = Row(
                rec.start,
                rec.end,
                rec.protocol,
                classify(rec.name, rec.description),
                rec.name,
                rec.description,
                rec.updated,
            )
    for rec in aliases:
        row = rows[(rec.start, rec.end, rec.protocol, rec.alias_of)]
        if rec.name not in row.aliases:
            row.aliases.append(rec.name)
    return sorted(rows.values(), key=lambda r: (r.start, r.end or r.start, r.protocol, r.name))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\r", "").replace("\n", "\\n")


def render(date: str, rows: Iterable[Row], source: str) -> Iterator[str]:
    yield f"{FORMAT}\t{FORMAT_VERSION}\t{date}\t{_escape(source)}\n"
    for r in rows:
        yield (
            f"{r.start}\t{'' if r.end is None else r.end}\t{r.protocol}\t"
            f"{STATUS_LETTERS[r.status]}\t{r.name}\t{','.join(r.aliases)}\t{r.updated}\t"
            f"{_escape(r.description)}\n"
        )


def _valid_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(_DATE.match(text))


def build_snapshot(data: bytes, source: str, date: str | None = None) -> str:
    """The snapshot text for an export's bytes; ``date`` overrides the registry date."""
    if date is not None and not _valid_date(date):
        raise UsageError(f"invalid --date {date!r}", hint="give the registry date as YYYY-MM-DD")
    found_date, records = read_export(data)
    registry_date = date or found_date
    if not _DATE.match(registry_date or ""):
        raise UsageError("the export carries no registry date", hint="pass --date YYYY-MM-DD")
    if not records:
        raise UsageError("the export holds no port records")
    return "".join(render(registry_date, merge(records), source))


def main(argv: list[str] | None = None) -> int:
    """``python -m portlint.registry.convert EXPORT [-o OUT] [--date D]``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m portlint.registry.convert")
    parser.add_argument("export")
    parser.add_argument("-o", "--output", default="-")
    parser.add_argument("--date")
    args = parser.parse_args(argv)
    with open(args.export, "rb") as fh:
        text = build_snapshot(fh.read(), source=args.export.rsplit("/", 1)[-1], date=args.date)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        from portlint.registry import SNAPSHOT_MARKER
        from portlint.safe_write import starts_with, write_atomic

        write_atomic(args.output, text, is_ours=starts_with(SNAPSHOT_MARKER))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
