"""Public pages of supervision (一公开): no login."""

from django.urls import path

from oversight.credit import views as credit_views
from oversight.inspections import views

app_name = "public"

urlpatterns = [
    path("inspections/", views.draw_list, name="draw-list"),
    path("inspections/verify_draw.py", views.verifier_download, name="draw-verifier"),
    path("inspections/<int:pk>/", views.draw_detail, name="draw-detail"),
    path("inspections/<int:pk>/<str:filename>", views.draw_file, name="draw-file"),
    path("credit-lists/", credit_views.credit_lists, name="credit-lists"),
]
