from django.urls import path

from frontend.meetings import subscription, views

app_name = "meetings"

urlpatterns = [
    path("overleggen/", views.meetings, name="list"),
    path("overleggen/nieuw/", views.new_meeting, name="new"),
    path("overleggen/<int:pk>/", views.meeting, name="detail"),
    path(
        "overleggen/<int:pk>/agenda.pdf",
        views.meeting_pdf,
        {"document": "agenda"},
        name="agenda_pdf",
    ),
    path(
        "overleggen/<int:pk>/verslag.pdf",
        views.meeting_pdf,
        {"document": "verslag"},
        name="minutes_pdf",
    ),
    path("overleggen/<int:pk>/vaststellen/", views.close, name="close"),
    path("overleggen/<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("overleggen/<int:pk>/wijzigen/", views.move, name="move"),
    path("overleggen/<int:pk>/afzeggen/", views.cancel, name="cancel"),
    path("account/agenda/", subscription.subscription, name="subscription"),
    path("agenda/<str:key>/overleggen.ics", subscription.feed, name="feed"),
    path("overleggen/<int:pk>/punten/<int:item>/", views.agenda_item, name="item"),
    path(
        "overleggen/<int:pk>/punten/<int:item>/van-agenda/", views.remove_item, name="remove_item"
    ),
]
