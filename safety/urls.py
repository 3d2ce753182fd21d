from django.urls import path

from safety import views

app_name = "safety"

urlpatterns = [
    path("", views.home, name="home"),
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/start/", views.round_start, name="round-start"),
    path("rounds/export/", views.round_export, name="round-export"),
    path("rounds/<int:pk>/", views.round_walk, name="round-walk"),
    path("rounds/<int:pk>/answer/", views.round_answer, name="round-answer"),
    path("rounds/<int:pk>/finish/", views.round_finish, name="round-finish"),
    path("rounds/photos/<int:pk>/", views.answer_photo, name="answer-photo"),
    path("rounds/photos/<int:pk>/thumb/", views.answer_photo, {"thumb": True}, name="answer-photo-thumb"),
    path("hazards/", views.hazard_list, name="hazard-list"),
    path("hazards/export/", views.hazard_export, name="hazard-export"),
    path("hazards/report/", views.hazard_report, name="hazard-report"),
    path("hazards/<int:pk>/", views.hazard_detail, name="hazard-detail"),
    path("hazards/<int:pk>/assign/", views.hazard_assign, name="hazard-assign"),
    path("hazards/<int:pk>/five/", views.hazard_five, name="hazard-five"),
    path("hazards/<int:pk>/start/", views.hazard_start, name="hazard-start"),
    path("hazards/<int:pk>/rectify/", views.hazard_rectify, name="hazard-rectify"),
    path("hazards/<int:pk>/close/", views.hazard_close, name="hazard-close"),
    path("hazards/<int:pk>/send-back/", views.hazard_send_back, name="hazard-send-back"),
    path("hazards/<int:pk>/withdraw/", views.hazard_withdraw, name="hazard-withdraw"),
    path("hazards/<int:pk>/bureau/", views.hazard_bureau, name="hazard-bureau"),
    path("hazards/<int:pk>/repair/", views.hazard_repair, name="hazard-repair"),
    path("hazards/photos/<int:pk>/", views.hazard_photo, name="hazard-photo"),
    path("hazards/photos/<int:pk>/thumb/", views.hazard_photo, {"thumb": True}, name="hazard-photo-thumb"),
]
