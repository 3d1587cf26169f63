from django.urls import path

from frontend.cases import views

app_name = "cases"

urlpatterns = [
    path("casussen/", views.cases, name="list"),
    path("casussen/nieuw/", views.intake, name="intake"),
    path("casussen/<str:reference>/", views.case_detail, name="detail"),
    path("casussen/<str:reference>/stap/", views.move_case, name="move"),
    path("casussen/<str:reference>/screening/", views.record_outcome, name="outcome"),
    path("casussen/<str:reference>/notitie/", views.record_note, name="note"),
    path("casussen/<str:reference>/vraag/", views.ask_reporter, name="question"),
    path("casussen/<str:reference>/terugkoppeling/", views.record_feedback, name="feedback"),
    path("casussen/<str:reference>/gegevens/", views.set_details, name="details"),
]
