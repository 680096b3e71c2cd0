from django.urls import path

from bruecke.accounts import mfa_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("settings/", views.settings_view, name="settings"),
    path("sessions/end/", views.sessions_end_view, name="sessions_end"),
    path("session/extend/", views.session_extend_view, name="session_extend"),
    path("mfa/", mfa_views.mfa_view, name="mfa"),
    path("mfa/setup/", mfa_views.mfa_setup_view, name="mfa_setup"),
    path("mfa/codes/", mfa_views.mfa_codes_view, name="mfa_codes"),
    path("language/", views.language_view, name="language"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
]
