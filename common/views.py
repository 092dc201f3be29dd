"""Project-wide error views: JSON under /api/, Django's own pages elsewhere."""

from __future__ import annotations

from django.views import defaults

from common.api.exceptions import json_not_found, json_server_error

API_PATH_PREFIX = "/api/"


def not_found(request, exception=None):
    if request.path.startswith(API_PATH_PREFIX):
        return json_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PATH_PREFIX):
        return json_server_error(request)
    return defaults.server_error(request)


def _file_fields():
    """(model, field name) of every FileField in the project: the media folder holds only
    files some record points to, and that record's scope decides who may download."""
    from django.apps import apps
    from django.db.models import FileField

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                yield model, field.name


def _visible(model, user):
    from common.scoping import permission_codename

    queryset = model._default_manager.all()
    if hasattr(queryset, "restrict"):
        return queryset.restrict(user, "view")
    return queryset if user.has_perm(permission_codename(model, "view")) else queryset.none()


def protected_media(request, path: str):
    """Files under MEDIA_URL, whatever DEBUG says: only to a signed-in user who may view a
    record that holds the file (common.scoping: department users only their own unit's);
    anything else is 404, as if the file did not exist. Each download is audited."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.files.storage import default_storage
    from django.http import FileResponse, Http404

    from common.audit import record
    from common.audit_models import AuditAction

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if ".." in path.split("/") or path.startswith("/"):
        raise Http404
    for model, name in _file_fields():
        holder = _visible(model, request.user).filter(**{name: path}).first()
        if holder is None:
            continue
        if not default_storage.exists(path):
            raise Http404
        record(action=AuditAction.DOWNLOAD, user=request.user, obj=holder, detail=path)
        return FileResponse(default_storage.open(path, "rb"), as_attachment=True)
    raise Http404
