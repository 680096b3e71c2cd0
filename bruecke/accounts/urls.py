from django.urls import path

from bruecke.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("settings/", views.settings_view, name="settings"),
    path("language/", views.language_view, name="language"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
]
