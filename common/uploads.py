"""Evidence files (证据材料) uploaded to records: one validator for every model that keeps them.

Files live in the default storage under MEDIA_ROOT, which is never served as static files:
`common.views.protected_media` hands a file only to a user who may view a record holding it
(docs/security.md). What is accepted is checked here, on the model field, so the admin, the
API and any service calling `full_clean()` refuse the same files with the same words.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Extension → the leading bytes a real file of that kind starts with: a renamed executable
# or HTML page is refused even when its name looks harmless. OFD (the national e-document
# format, used for scanned decisions) is a ZIP package.
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "ofd": (b"PK\x03\x04",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
DEFAULT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def evidence_max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", DEFAULT_EVIDENCE_MAX_BYTES))


@deconstructible
class EvidenceFileValidator:
    """证据材料: PDF, OFD, JPG or PNG, content matching the extension, at most
    EVIDENCE_MAX_BYTES (default 20 MB), never empty."""

    def __call__(self, value) -> None:
        name = (getattr(value, "name", "") or "").rsplit("/", 1)[-1]
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        allowed = "、".join(e.upper() for e in EVIDENCE_SIGNATURES if e != "jpeg")
        if extension not in EVIDENCE_SIGNATURES:
            raise ValidationError(
                f"证据材料“{name}”的格式不受支持，仅接受 {allowed} 文件。", code="file_type"
            )
        size = getattr(value, "size", 0) or 0
        if size == 0:
            raise ValidationError(f"证据材料“{name}”是空文件。", code="file_empty")
        limit = evidence_max_bytes()
        if size > limit:
            raise ValidationError(
                f"证据材料“{name}”过大（超过 {limit // (1024 * 1024)} MB），请压缩后上传。",
                code="file_size",
            )
        if not self._content_matches(value, extension):
            raise ValidationError(
                f"证据材料“{name}”的内容与扩展名 .{extension} 不符，请上传真实的 {allowed} 文件。",
                code="file_content",
            )

    @staticmethod
    def _content_matches(value, extension: str) -> bool:
        # A file already stored (an unchanged field on a later save) was checked when it came.
        if getattr(value, "_committed", False) is True:
            return True
        try:
            handle = getattr(value, "file", None) or value
            position = handle.tell()
            handle.seek(0)
            head = handle.read(16)
            handle.seek(position)
        except (OSError, ValueError, AttributeError):
            return True  # stored elsewhere and not readable here: checked when uploaded
        return any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES[extension])

    def __eq__(self, other) -> bool:
        return isinstance(other, EvidenceFileValidator)


validate_evidence_file = EvidenceFileValidator()
