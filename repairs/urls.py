from django.urls import path

from repairs import views

app_name = "repairs"

urlpatterns = [
    path("", views.ticket_list, name="ticket-list"),
    path("report/", views.ticket_report, name="ticket-report"),
    path("report/similar/", views.ticket_similar, name="ticket-similar"),
    path("report/photos/<int:pk>/", views.held_photo, name="held-photo"),
    path("queue/", views.queue, name="queue"),
    path("queue/dispatch/", views.queue_bulk_dispatch, name="queue-bulk-dispatch"),
    path("jobs/", views.my_jobs, name="my-jobs"),
    path("export/", views.ticket_export, name="ticket-export"),
    path("<int:pk>/", views.ticket_detail, name="ticket-detail"),
    path("<int:pk>/dispatch/", views.ticket_dispatch, name="ticket-dispatch"),
    path("<int:pk>/urgency/", views.ticket_urgency, name="ticket-urgency"),
    path("<int:pk>/merge/", views.ticket_merge, name="ticket-merge"),
    path("<int:pk>/cancel/", views.ticket_cancel, name="ticket-cancel"),
    path("<int:pk>/start/", views.ticket_start, name="ticket-start"),
    path("<int:pk>/note/", views.ticket_note, name="ticket-note"),
    path("<int:pk>/materials/", views.ticket_material_add, name="ticket-material-add"),
    path("<int:pk>/materials/<int:material_pk>/delete/", views.ticket_material_delete, name="ticket-material-delete"),
    path("<int:pk>/done/", views.ticket_done, name="ticket-done"),
    path("<int:pk>/accept/", views.ticket_accept, name="ticket-accept"),
    path("<int:pk>/reject/", views.ticket_reject, name="ticket-reject"),
    path("<int:pk>/close/", views.ticket_close, name="ticket-close"),
    path("<int:pk>/follow/", views.ticket_follow, name="ticket-follow"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"thumb": True}, name="photo-thumb"),
]

from repairs.views_labels import label_urlpatterns  # noqa: E402  (R2's QR labels)

urlpatterns += label_urlpatterns
