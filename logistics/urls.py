from importlib.util import find_spec

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from logistics import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.SchoolLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/profile/", views.ProfileView.as_view(), name="profile"),
    path("school/switch/", views.school_switch, name="school-switch"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("places/buildings/", views.BuildingListView.as_view(), name="building-list"),
    path("places/buildings/<int:pk>/", views.BuildingDetailView.as_view(), name="building-detail"),
    path("places/rooms/", views.RoomListView.as_view(), name="room-list"),
    path("places/rooms/<int:pk>/", views.RoomDetailView.as_view(), name="room-detail"),
    path("school/classes/", views.ClassListView.as_view(), name="class-list"),
    path("school/people/", views.PeopleListView.as_view(), name="people-list"),
    path("school/terms/", views.TermListView.as_view(), name="term-list"),
    path("reports/", include("logistics.reports.urls")),
    path("chronicle/", include("logistics.chronicle.urls")),
    path("exports/", include("logistics.exports.urls")),
    path("admin/", admin.site.urls),
]

# Each app's urls.py, mounted under its own name, as soon as the app has one.
for app in ("assets", "repairs", "canteen", "safety", "procurement"):
    if find_spec(f"{app}.urls"):
        urlpatterns.append(path(f"{app}/", include(f"{app}.urls")))

# Uploads (repair photos, generated reports) are never served as public media: each goes through a
# view that checks the school and the person's permission, in DEBUG as in production.
