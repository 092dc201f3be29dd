"""Admins whose add form is a service call: the form runs the service in its validation
(`_post_clean`, inside the add view's transaction) and keeps what the service saved as
`saved`; the admin then only logs and redirects. Records written this way are read-only in
the change view (their `readonly_fields`)."""

from __future__ import annotations

from typing import Any


def copy_saved(obj: Any, saved: Any) -> None:
    """The admin logs and redirects with `obj`: give it what the service saved."""
    for f in type(saved)._meta.concrete_fields:
        setattr(obj, f.attname, getattr(saved, f.attname))


class ServiceAddAdminMixin:
    """`add_form`: a ModelForm whose `_post_clean` calls the service with `self.request` and
    sets `self.saved`; its Meta.fields are the add view's fields."""

    add_form: type

    def get_fields(self, request, obj=None):
        return self.add_form.Meta.fields if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = type(self.add_form.__name__, (self.add_form,), {"request": request})
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        # The service wrote the record in the form's validation; the admin logs that row.
        copy_saved(obj, form.saved)
        obj._state.adding = False
