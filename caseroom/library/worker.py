"""Text extraction in a process of its own: `python -m caseroom.library.worker pdf|docx`.

Reads the file on stdin and writes one JSON object on stdout: {"text", "pages", "note"} or
{"refused": message}. A separate process, because a hostile PDF can keep pypdf busy or
allocate without end inside one call that Python cannot interrupt: extract.py kills this
process after its time limit, and the address space is capped here before anything is
parsed. Pure Python: no Django (the messages are translated by extract.py).
"""

from __future__ import annotations

import io
import json
import resource
import sys
from typing import Any

__all__ = ["extract_docx", "extract_pdf", "main"]

MEMORY_BYTES = 1024 * 1024 * 1024  # the worker's address space: 1 GB


def extract_pdf(data: bytes, max_pages: int, max_chars: int) -> dict[str, Any]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        return {"refused": "missing:pypdf"}
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return {"refused": "encrypted"}
        pages = len(reader.pages)
        texts: list[str] = []
        length = 0
        for page in reader.pages[:max_pages]:
            text = page.extract_text() or ""
            texts.append(text)
            length += len(text)
            if length >= max_chars:
                break
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {"refused": "broken"}
    except RecursionError:
        return {"refused": "broken"}
    return _result("\n\n".join(texts), pages, max_pages, max_chars)


def extract_docx(data: bytes, max_pages: int, max_chars: int) -> dict[str, Any]:
    try:
        import docx  # python-docx, in the 'reports' extra
    except ImportError:
        return {"refused": "missing:python-docx"}
    try:
        document = docx.Document(io.BytesIO(data))
        texts: list[str] = []
        length = 0
        for paragraph in document.paragraphs:
            texts.append(paragraph.text)
            length += len(paragraph.text) + 1
            if length >= max_chars:
                break
        for table in document.tables:
            if length >= max_chars:
                break
            for row in table.rows:
                cells = " | ".join(cell.text for cell in row.cells)
                texts.append(cells)
                length += len(cells) + 1
    except Exception:  # python-docx raises many kinds (KeyError, ValueError, lxml errors)
        return {"refused": "broken"}
    return _result("\n".join(texts), 0, max_pages, max_chars)


def _result(text: str, pages: int, max_pages: int, max_chars: int) -> dict[str, Any]:
    notes = []
    if pages > max_pages:
        notes.append(f"pages:{max_pages}")
    if len(text) > max_chars:
        text = text[:max_chars]
        notes.append(f"chars:{max_chars}")
    return {"text": text.replace("\x00", ""), "pages": pages, "note": ",".join(notes)}


def main(argv: list[str]) -> int:
    kind, max_pages, max_chars = argv[1], int(argv[2]), int(argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    data = sys.stdin.buffer.read()
    try:
        result = (extract_pdf if kind == "pdf" else extract_docx)(data, max_pages, max_chars)
    except MemoryError:
        result = {"refused": "memory"}
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
