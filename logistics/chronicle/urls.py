from django.urls import path

from logistics.chronicle import views

app_name = "chronicle"

urlpatterns = [
    path("", views.entry_list, name="entry-list"),
    path("add/", views.entry_add, name="entry-add"),
    path("<int:pk>/", views.entry_detail, name="entry-detail"),
    path("<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("<int:pk>/withdraw/", views.entry_withdraw, name="entry-withdraw"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"thumb": True}, name="photo-thumb"),
]
