"""The guard every uploaded .xlsx passes before openpyxl sees it: a package that is not a
workbook, or would inflate beyond the configured limits (a zip bomb), is refused in
milliseconds (docs/security.md)."""

from __future__ import annotations

import zipfile
import zlib
from typing import IO

from django.conf import settings

# A real register of 1M organizations is ~300 MB of sheet XML; anything far beyond that is
# a zip bomb rather than a spreadsheet, and openpyxl would try to parse it anyway.
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024


class ExcelFormatError(Exception):
    """The file as a whole cannot be used (not .xlsx, corrupt, empty, wrong headers)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _limits() -> tuple[int, int, int]:
    return (
        int(getattr(settings, "EXCEL_MAX_PART_BYTES", MAX_UNCOMPRESSED_BYTES)),
        int(getattr(settings, "EXCEL_MAX_TOTAL_BYTES", MAX_UNCOMPRESSED_BYTES)),
        int(getattr(settings, "EXCEL_MAX_SHARED_STRINGS", 3_000_000)),
    )


def check_archive(fileobj: IO[bytes]) -> None:
    """Refuse, before openpyxl sees it, a package that is not an .xlsx or would expand
    beyond the configured limits (a zip bomb: 1 MB that inflates to 480 MB of strings)."""
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            _check_sizes(infos)
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise ExcelFormatError(
                    "文件不是 Excel 工作簿（.xlsx）。请在 Excel 或 WPS 中另存为 .xlsx 后重新上传。"
                )
            for info in infos:
                if info.filename.lower() == "xl/sharedstrings.xml":
                    _check_shared_strings(archive, info)
    except ExcelFormatError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, zlib.error) as exc:
        raise ExcelFormatError(
            "文件不是有效的 Excel（.xlsx）文件，无法读取。请在 Excel 或 WPS 中“另存为”"
            "Excel 工作簿（*.xlsx）后重新上传；不支持 .xls、.csv 等格式。"
        ) from exc
    fileobj.seek(0)


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    max_part, max_total, _ = _limits()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > max_part:
            raise ExcelFormatError(
                f"文件中的“{info.filename}”解压后达 {info.file_size // (1024 * 1024)} MB，"
                f"超过单个部件 {max_part // (1024 * 1024)} MB 的上限，无法读取；"
                "请拆分后分批导入。"
            )
    if total > max_total:
        raise ExcelFormatError(
            f"文件解压后共 {total // (1024 * 1024)} MB，超过 {max_total // (1024 * 1024)} MB "
            "的上限，无法读取；请拆分后分批导入。"
        )


def _check_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Count the shared strings by streaming the part, stopping at the first excess: the
    declared sizes in a zip can lie, the inflated bytes cannot."""
    max_part, _, max_strings = _limits()
    count = inflated = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1024 * 1024):
            inflated += len(chunk)
            window = tail + chunk
            count += window.count(b"<si>") + window.count(b"<si ")
            # Three bytes cannot hold a whole four-byte tag: none is counted twice.
            tail = window[-3:]
            if count > max_strings:
                raise ExcelFormatError(
                    f"文件的共享字符串超过 {max_strings} 个，超出上限，无法读取；请拆分后分批导入。"
                )
            if inflated > max(info.file_size, 0) + 1024 or inflated > max_part:
                raise ExcelFormatError(
                    "文件中的“xl/sharedStrings.xml”实际解压大小与声明不符或超过上限，无法读取。"
                )
