"""Django validators over `registry.uscc`, used by the model field, forms, serializers and imports."""

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from .uscc import uscc_errors


@deconstructible
class USCCValidator:
    """Refuses a code that breaks any error rule of D2, one message per broken rule."""

    def __call__(self, value: str) -> None:
        errors = uscc_errors(value or "")
        if errors:
            raise ValidationError([ValidationError(p.message, code=p.code) for p in errors])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, USCCValidator)


validate_uscc = USCCValidator()
