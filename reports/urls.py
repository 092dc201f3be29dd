"""Staff pages of the reports app, mounted at the site root by config.urls."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/report.xlsx", views.dashboard_xlsx, name="dashboard-xlsx"),
    path("organizations/<int:pk>/", views.organization_file_view, name="organization-file"),
    path(
        "organizations/<int:pk>/file.xlsx",
        views.organization_file_download,
        name="organization-file-xlsx",
    ),
    path(
        "organizations/uscc/<str:uscc>/",
        views.organization_file_by_uscc,
        name="organization-file-uscc",
    ),
]
