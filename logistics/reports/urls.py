from django.urls import path

from logistics.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("guiding-idea/", views.guiding_idea, name="guiding-idea"),
    path("terms/<str:code>/", views.term_detail, name="term"),
    path("terms/<str:code>/generate/", views.generate, name="generate"),
    path("versions/<int:pk>/", views.report_detail, name="report"),
    path("versions/<int:pk>/paragraphs/<int:paragraph_pk>/", views.paragraph_edit, name="paragraph-edit"),
    path("versions/<int:pk>/charts/<int:paragraph_pk>.png", views.chart_png, name="chart"),
    path("versions/<int:pk>/issue/", views.issue, name="issue"),
    path("versions/<int:pk>/files/", views.file_create, name="file-create"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
]
