from django.urls import path

from logistics.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/status/", views.job_status, name="job-status"),
    path("<int:pk>/download/", views.job_download, name="job-download"),
]
