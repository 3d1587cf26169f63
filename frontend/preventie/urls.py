from django.urls import path

from frontend.preventie import views

app_name = "preventie"

urlpatterns = [
    path("preventie/", views.activities, name="activities"),
    path("preventie/nieuw/", views.activity_form, name="activity_new"),
    path("preventie/<int:pk>/", views.activity_form, name="activity_edit"),
    path("advies/", views.advice_list, name="advice"),
    path("advies/nieuw/", views.advice_form, name="advice_new"),
    path("advies/<int:pk>/", views.advice_form, name="advice_edit"),
]
