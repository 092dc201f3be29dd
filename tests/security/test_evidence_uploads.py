"""Evidence uploads (docs/security.md, 访问控制 — Files): only PDF, OFD, JPG and PNG whose first
bytes match the extension, never empty, at most EVIDENCE_MAX_BYTES. No database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from common.uploads import validate_evidence_file


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("决定书.pdf", b"%PDF-1.7\n..."),
        ("回执.JPG", b"\xff\xd8\xff\xe0..."),
        ("退件.png", b"\x89PNG\r\n\x1a\n..."),
        ("决定书.ofd", b"PK\x03\x04..."),
    ],
)
def test_accepted(name, content):
    validate_evidence_file(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("决定书.exe", b"%PDF-1.7", "file_type"),
        ("决定书.html", b"<html>", "file_type"),
        ("决定书", b"%PDF-1.7", "file_type"),
        ("决定书.pdf", b"MZ\x90\x00", "file_content"),  # an executable renamed
        ("回执.jpg", b"<svg onload=alert(1)>", "file_content"),
        ("决定书.pdf", b"", "file_empty"),
    ],
)
def test_refused(name, content, code):
    with pytest.raises(ValidationError) as exc:
        validate_evidence_file(SimpleUploadedFile(name, content))
    assert exc.value.code == code


@override_settings(EVIDENCE_MAX_BYTES=16)
def test_size_limit_boundary():
    validate_evidence_file(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 11))  # 16 bytes
    with pytest.raises(ValidationError) as exc:
        validate_evidence_file(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 12))
    assert exc.value.code == "file_size"
