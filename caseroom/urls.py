from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from caseroom.lib.logins import AdminLoginForm, LoginForm

admin.site.login_form = AdminLoginForm
# The admin is Caseroom's too: its pages say so (Django's default is "Django administration").
admin.site.site_header = _("Caseroom administration")
admin.site.site_title = _("Caseroom administration")
admin.site.index_title = _("Records")

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("caseroom.exercises.urls")),
    path("", include("caseroom.debrief.urls")),
    path("", include("caseroom.backups.urls")),
    path("", include("caseroom.surveys.urls")),
    path("", include("caseroom.programmes.urls")),
    path("", include("caseroom.library.urls")),
    path("", include("caseroom.cooperation.urls")),
    path("", include("caseroom.jitnetwork.urls")),
    path("", include("caseroom.legislation.urls")),
    path("", include("caseroom.workshops.urls")),
    path("", include("caseroom.scenarios.urls")),
    path("", include("caseroom.exercises.tryout")),  # "try it" on the Scenarios page
]
