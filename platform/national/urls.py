from django.urls import path

from national import views

app_name = "national"

urlpatterns = [
    path("", views.regions, name="regions"),
    path("regios/nieuw/", views.onboard, name="onboard"),
    path(
        "regios/<slug:slug>/opschorten/",
        views.suspension,
        {"suspend": True},
        name="suspension",
    ),
    path(
        "regios/<slug:slug>/heractiveren/",
        views.suspension,
        {"suspend": False},
        name="reactivation",
    ),
    path("regios/<slug:slug>/contact/", views.contact, name="contact"),
    path("roltoekenningen/", views.grants, name="grants"),
    path("roltoekenningen/<int:pk>/", views.grant, name="grant"),
]
