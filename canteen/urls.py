from django.urls import path

from canteen import views

app_name = "canteen"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/day/<str:day>/", views.day, name="day"),
    path("<int:pk>/day/<str:day>/<slug:kind>/", views.record_add, name="record-add"),
    path("<int:pk>/month/<int:year>/<int:month>/", views.month, name="month"),
    path("<int:pk>/menu/<str:day>/", views.menu, name="menu"),
    path("<int:pk>/review/<slug:period>/<str:day>/", views.review, name="review"),
    path("records/<slug:kind>/", views.record_list, name="record-list"),
    path("records/<slug:kind>/export/", views.record_export, name="record-export"),
    path("records/<slug:kind>/<int:pk>/", views.record_detail, name="record-detail"),
    path("records/<slug:kind>/<int:pk>/correct/", views.record_correct, name="record-correct"),
    path("samples/", views.record_list, {"kind": "sample"}, name="sample-list"),
    path("samples/<int:pk>/destroy/", views.sample_destroy, name="sample-destroy"),
    path("accompanied/<int:pk>/answer/", views.accompanied_answer, name="accompanied-answer"),
    path("certificates/<int:pk>/", views.delivery_photo, name="delivery-photo"),
    path("certificates/<int:pk>/thumb/", views.delivery_photo, {"thumb": True}, name="delivery-photo-thumb"),
    path("export/", views.export_book, name="export"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/<int:pk>/photo/", views.staff_photo, name="staff-photo"),
    path("events/", views.event_add, name="event-add"),
]

# Set-up screens (canteen.views_setup), the printable monthly book and the parents' menu (canteen.views_book).
from canteen import views_book, views_setup  # noqa: E402

urlpatterns += [
    path("setup/", views_setup.index, name="setup"),
    path("setup/roster/", views_setup.roster, name="setup-roster"),
    path("setup/<slug:section>/", views_setup.section_list, name="setup-list"),
    path("setup/<slug:section>/add/", views_setup.section_edit, name="setup-add"),
    path("setup/<slug:section>/<int:pk>/", views_setup.section_edit, name="setup-edit"),
    path("<int:pk>/book/<int:year>/<int:month>/", views_book.book, name="book"),
    path("<int:pk>/menu/<str:day>/print/", views_book.menu_print, name="menu-print"),
]
