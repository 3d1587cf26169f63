from django.urls import path

from national import views

app_name = "national"

urlpatterns = [
    path("", views.regions, name="regions"),
    path("regios/nieuw/", views.onboard, name="onboard"),
    path("regios/<slug:slug>/opschorten/", views.suspension, name="suspension"),
    path("roltoekenningen/", views.grants, name="grants"),
    path("roltoekenningen/<int:pk>/", views.grant, name="grant"),
]
