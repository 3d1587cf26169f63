from django.urls import path

from frontend.statistiek import views

app_name = "statistiek"

urlpatterns = [
    path("statistiek/", views.index, name="index"),
    path("statistiek/kaart/", views.map_page, name="map"),
    path("statistiek/preventie-en-advies/", views.prevention, name="prevention"),
    path("statistiek/download/<slug:name>.<str:fmt>", views.export_view, name="export"),
    path("statistiek/jaarverslag/", views.annual_reports, name="annual_reports"),
    path(
        "statistiek/jaarverslag/<int:pk>/voortgang/",
        views.annual_report_progress,
        name="annual_report_progress",
    ),
    path(
        "statistiek/jaarverslag/<int:pk>/opnieuw/",
        views.annual_report_retry,
        name="annual_report_retry",
    ),
    path(
        "statistiek/jaarverslag/<int:pk>/pdf/",
        views.annual_report_download,
        name="annual_report_download",
    ),
    path(
        "statistiek/nationaal-rapporteur/",
        views.rapporteur_export,
        name="rapporteur_export",
    ),
    path("statistiek/benchmark/", views.benchmark_page, name="benchmark"),
    path("statistiek/benchmark/verwijderen/", views.benchmark_delete, name="benchmark_delete"),
]
