"""Password complexity (等保 2.0 身份鉴别: 口令具有复杂度要求).

Django's validators cover length, similarity to the account and common passwords; this one
asks for characters of several classes.
"""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda ch: ch in string.ascii_uppercase),
    ("小写字母", lambda ch: ch in string.ascii_lowercase),
    ("数字", str.isdigit),
    ("符号", lambda ch: not ch.isalnum() or not ch.isascii()),
)


class ComplexityValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def _names(self) -> str:
        return "、".join(name for name, _test in CLASSES)

    def validate(self, password: str, user=None) -> None:
        present = sum(1 for _name, test in CLASSES if any(test(ch) for ch in password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码过于简单：须至少包含{self._names()}中的 {self.min_classes} 类字符。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含{self._names()}中的 {self.min_classes} 类字符。"


class MinimumLengthValidator:
    """Django's length rule with its message in Chinese (its zh-hans catalogue lacks the
    plural form, so the admin would show English)."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短：至少需要 {self.min_length} 个字符。", code="password_too_short"
            )

    def get_help_text(self) -> str:
        return f"密码至少需要 {self.min_length} 个字符。"
