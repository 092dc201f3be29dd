"""CSV written in chunks: the API's streamed export and the public register extract share it.

One `csv.writer` over a StringIO, emptied every ~64 KiB: a million rows cost a few thousand
chunks, not a million strings (the extract ran at the bare csv module's speed this way)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

CHUNK_CHARS = 1 << 16


def csv_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    lineterminator: str = "\n",
    prefix: str = "",
) -> Iterator[str]:
    """The header and `rows` as CSV text, in chunks of about CHUNK_CHARS characters;
    `prefix` (e.g. a byte-order mark) opens the first chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    buffer.write(prefix)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
