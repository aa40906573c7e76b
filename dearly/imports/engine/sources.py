"""Reading an uploaded file: what it is (CSV or XLSX), how it is encoded and delimited,
its headers, and its rows as lists of strings with their line numbers."""

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dearly.core.text import text_problem

SNIFF_BYTES = 64 * 1024
# Bytes Windows-1252 leaves undefined: a file holding them is not 1252 text either.
CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file: save it as .xlsx or .csv",
    b"\x1f\x8b": "a compressed (gzip) file",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


class UnreadableFile(ValueError):
    """The file cannot be imported; the message says why in words a person understands."""


@dataclass
class FileInfo:
    file_format: str  # "csv" | "xlsx"
    encoding: str = "utf-8"
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def inspect_file(path: Path, name: str) -> FileInfo:
    """Decide how to read the file, or raise UnreadableFile with the reason."""
    head = path.open("rb").read(SNIFF_BYTES)
    if not head:
        raise UnreadableFile("The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        info = _xlsx_info(path)
    elif head.lstrip(b"\xef\xbb\xbf \r\n\t").upper().startswith(b"BEGIN:VCARD"):
        info = FileInfo(file_format="vcf", encoding=detect_encoding(path), delimiter="")
    else:
        info = _csv_info(path, head)
    info.headers = clean_headers(_first_row(path, info), info.notices)
    if not any(info.headers):
        raise UnreadableFile("The first row is empty: it must hold the column names.")
    for position, header in enumerate(info.headers, start=1):
        if problem := text_problem(header):
            raise UnreadableFile(f"The name of column {position} {problem}.")
    if next(iter_rows(path, info), None) is None:
        raise UnreadableFile("The file has column names but no rows of contacts.")
    return info


def _xlsx_info(path: Path) -> FileInfo:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise UnreadableFile("The file looks like a damaged ZIP or Excel file.") from None
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("This is a ZIP archive, not an Excel workbook (.xlsx) or CSV.")
    return FileInfo(file_format="xlsx", encoding="", delimiter="")


def _csv_info(path: Path, head: bytes) -> FileInfo:
    for signature, what in SIGNATURES.items():
        if head.startswith(signature):
            raise UnreadableFile(f"This is {what}, not a CSV or Excel file.")
    if b"\x00" in head:
        raise UnreadableFile(
            "This is a binary file, not a CSV or Excel file "
            "(or a CSV saved as UTF-16: save it again as CSV UTF-8)."
        )
    info = FileInfo(file_format="csv", encoding=detect_encoding(path))
    if info.encoding == "cp1252":
        info.notices.append(
            "The file is not UTF-8; it was read as Windows-1252 (Western European). "
            "Check accented letters in the preview."
        )
    info.delimiter = sniff_delimiter(head.decode(info.encoding, errors="replace"))
    return info


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without a BOM) when the whole file decodes; else Windows-1252."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    undefined = False
    with path.open("rb") as f:
        try:
            while block := f.read(1 << 20):
                # Checked before decoding: the block that fails UTF-8 is not read again.
                undefined = undefined or not CP1252_UNDEFINED.isdisjoint(block)
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        while not undefined and (block := f.read(1 << 20)):
            undefined = not CP1252_UNDEFINED.isdisjoint(block)
    if undefined:
        raise UnreadableFile(
            "The file's text encoding could not be recognised (it is neither UTF-8 nor "
            "Windows-1252). Save it from your spreadsheet as 'CSV UTF-8' and try again."
        )
    return "cp1252"


def sniff_delimiter(sample: str) -> str:
    lines = sample.lstrip("\ufeff").splitlines()[:20]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in ",;\t|"} if lines else {}
        best = max(counts, key=counts.__getitem__, default=",")
        return best if counts.get(best) else ","


def clean_headers(raw: list[str], notices: list[str]) -> list[str]:
    """Blank headers get a name by position; repeated ones a number, so each column is unique."""
    headers: list[str] = []
    seen: set[str] = set()
    for position, value in enumerate(raw, start=1):
        name = " ".join(str(value or "").split())
        if not name:
            name = f"Column {position}"
            notices.append(f"Column {position} has no name; it is shown as '{name}'.")
        base, n = name, 1
        while name.lower() in seen:
            n += 1
            name = f"{base} ({n})"
        if n > 1:
            notices.append(f"The column name '{base}' appears more than once; renamed '{name}'.")
        seen.add(name.lower())
        headers.append(name)
    while headers and headers[-1].startswith("Column ") and not raw[len(headers) - 1]:
        headers.pop()  # trailing empty columns from a spreadsheet are noise, not data
    return headers


def _first_row(path: Path, info: FileInfo) -> list[str]:
    return next(_raw_rows(path, info), (1, []))[1]


def iter_rows(path: Path, info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    """Data rows after the header, with their line numbers (the header is line 1); rows that
    are entirely blank are skipped."""
    rows = _raw_rows(path, info)
    next(rows, None)
    for line, row in rows:
        if any(cell.strip() for cell in row):
            yield line, row


def _raw_rows(path: Path, info: FileInfo) -> Iterator[tuple[int, list[str]]]:
    if info.file_format == "xlsx":
        yield from _xlsx_rows(path)
        return
    if info.file_format == "vcf":
        yield from vcard_rows(path, info.encoding)
        return
    with path.open(encoding=info.encoding, newline="") as f:
        reader = csv.reader(f, delimiter=info.delimiter)
        start = 1
        try:
            for row in reader:
                # line_num counts physical lines, so a quoted cell spanning lines keeps the
                # report's line numbers true to what a text editor shows; a row is named by
                # the line it starts on.
                yield start, row
                start = reader.line_num + 1
        except csv.Error as exc:
            raise UnreadableFile(
                f"The CSV is malformed near line {reader.line_num}: {exc}."
            ) from None


# A vCard becomes a row of these columns (RFC 6350 properties: N, FN, NICKNAME, EMAIL,
# TEL, BDAY, NOTE, CATEGORIES, ORG; the first EMAIL and TEL of a card).
VCARD_HEADERS = [
    "Full Name", "First Name", "Last Name", "Nickname", "Email", "Phone", "Birthday", "Notes",
    "Categories", "Organization",
]  # fmt: skip


def vcard_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """The header, then one row per card, named by the line of its first property (the
    one after BEGIN:VCARD), so that every card comes after the header's line 1."""
    import vobject

    text = path.read_text(encoding=encoding)
    starts = [
        n + 1 for n, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VCARD"
    ]  # fmt: skip
    yield 1, list(VCARD_HEADERS)
    cards = vobject.readComponents(text, ignoreUnreadable=True)
    index = 0
    try:
        for index, card in enumerate(cards):
            yield (starts[index] if index < len(starts) else index + 2), _card_cells(card)
    except Exception as exc:  # vobject raises its own ParseError and plain errors alike
        line = starts[index + 1] if index + 1 < len(starts) else "?"
        raise UnreadableFile(f"The vCard file is malformed near line {line}.") from exc


def _card_cells(card: object) -> list[str]:
    def first(name: str) -> object:
        items = getattr(card, "contents", {}).get(name) or []
        return items[0].value if items else ""

    name = first("n")
    bday = str(first("bday") or "")
    if len(bday) == 8 and bday.isdigit():
        bday = f"{bday[:4]}-{bday[4:6]}-{bday[6:]}"  # vCard 3's basic form
    elif bday.startswith("--"):
        bday = ""  # a birthday without its year cannot be stored
    categories = first("categories")
    org = first("org")
    return [
        str(first("fn") or ""),
        str(getattr(name, "given", "") or ""),
        str(getattr(name, "family", "") or ""),
        str(first("nickname") or ""),
        str(first("email") or ""),
        str(first("tel") or ""),
        bday,
        str(first("note") or ""),
        ", ".join(categories) if isinstance(categories, list) else str(categories or ""),
        " ".join(org) if isinstance(org, list) else str(org or ""),
    ]


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise UnreadableFile(
            f"The Excel file could not be opened ({type(exc).__name__})."
        ) from None
    try:
        sheet = book.worksheets[0]
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_cell_text(v) for v in row]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 7700900123.0 from Excel is a phone number, not a float
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()  # Excel stores plain dates as midnight datetimes
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def count_lines_estimate(path: Path, info: FileInfo) -> int:
    """A quick estimate of the number of rows, for the progress bar (CSV: newlines)."""
    if info.file_format != "csv":
        return 0
    total = 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            total += block.count(b"\n")
    return max(total - 1, 1)
