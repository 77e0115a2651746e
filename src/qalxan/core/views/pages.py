"""Pages of the core app: home, sign-in, two-factor, profile and tokens, audit log, users, role policies."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from qalxan.core import services
from qalxan.core.dashboard import widgets_for
from qalxan.core.exports import audit_csv_response
from qalxan.core.filtersets import AuditEntryFilterSet
from qalxan.core.http import AuthenticatedRequest
from qalxan.core.middleware import two_factor_required
from qalxan.core.models import ApiToken, AuditEntry, RolePolicy
from qalxan.core.roles import Role
from qalxan.core.tables import AuditEntryTable, UserTable
from qalxan.core.tenancy import has_permission, memberships_of, restrict, sees_source_addresses
from qalxan.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, PermissionRequiredView

User = get_user_model()


class SignInView(LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    from qalxan.organizations.models import Organization

    memberships = [
        (m, Organization.objects.filter(pk=m.organization_id).first()) for m in memberships_of(request.user)
    ]
    return render(
        request,
        "core/home.html",
        {
            "memberships": [
                {"role": Role(m.role).label, "organization": org, "subordinates": m.include_subordinates}
                for m, org in memberships
                if org is not None
            ],
            "widgets": widgets_for(request.user),
            "notifications": request.user.notifications.all()[:8],
        },
    )


class OtpCodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\d{6}$",
        label=gettext_lazy("Six-digit code"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=5)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def otp_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Pair an authenticator app: show a QR code for a new TOTP device, confirm it with the first code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="default", confirmed=False)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
            device.confirmed = True
            device.save()
            otp_login(request, device)
            services.record_two_factor_change(actor=request.user, enabled=True)
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("core:profile")
        form.add_error("code", _("The code does not match; check the time on your phone and try again."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "core/otp_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": secret,
            "required": two_factor_required(request.user),
        },
    )


@login_required
def otp_verify(request: AuthenticatedRequest) -> HttpResponse:
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("code", _("The code does not match."))
    return render(request, "core/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_required
@require_POST
def otp_disable(request: AuthenticatedRequest) -> HttpResponse:
    if two_factor_required(request.user):
        messages.error(request, _("Your role requires two-factor authentication; it cannot be turned off."))
        return redirect("core:profile")
    form = OtpCodeForm(request.POST)
    if form.is_valid() and match_token(request.user, form.cleaned_data["code"]) is not None:
        TOTPDevice.objects.filter(user=request.user).delete()
        services.record_two_factor_change(actor=request.user, enabled=False)
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("Enter a current code to turn two-factor authentication off."))
    return redirect("core:profile")


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.issue_api_token(
            actor=request.user, user=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "core/profile.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user),
            "token_form": form,
            "new_key": new_key,
            "has_device": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "otp_form": OtpCodeForm(),
            "memberships": request.user.memberships.select_related("organization"),
        },
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    queryset = (
        ApiToken.objects.all()
        if has_permission(request.user, "core.revoke_apitoken")
        else ApiToken.objects.filter(user=request.user)
    )
    token = get_object_or_404(queryset, pk=pk)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    back = request.POST.get("back") or ""
    return redirect(back if back.startswith("/") else "core:profile")


@login_required
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        acknowledge = request.POST.get("acknowledge", "")
        if acknowledge.isdigit():
            note = get_object_or_404(request.user.notifications.all(), pk=int(acknowledge))
            services.acknowledge_notification(actor=request.user, notification=note)
        else:
            services.mark_notifications_read(actor=request.user)
        return redirect("core:notifications")
    return render(
        request,
        "core/notifications.html",
        {"notifications": request.user.notifications.select_related("delivery")[:200]},
    )


class AuditListView(ObjectListView):
    queryset = AuditEntry.objects.select_related("content_type")
    filterset_class = AuditEntryFilterSet
    table_class = AuditEntryTable
    title = gettext_lazy("Audit log")
    export_url_name = "core:audit_export"
    per_page = 50

    def get_table(self, queryset: Any) -> Any:
        hidden = () if sees_source_addresses(self.request.user) else ("ip_address",)
        return self.table_class(queryset, exclude=hidden)


class AuditDetailView(ObjectDetailView):
    queryset = AuditEntry.objects.select_related("content_type")
    template_name = "core/audit_detail.html"

    def extra_context(self, obj: AuditEntry) -> dict[str, Any]:
        before, after = obj.before or {}, obj.after or {}
        keys = sorted(set(before) | set(after))
        return {
            "show_addresses": sees_source_addresses(self.request.user),
            "changes": [
                {
                    "field": k,
                    "before": before.get(k),
                    "after": after.get(k),
                    "changed": before.get(k) != after.get(k),
                }
                for k in keys
            ],
        }


class AuditExportView(PermissionRequiredView):
    permission = "core.view_auditentry"

    def get(self, request: AuthenticatedRequest) -> HttpResponseBase:
        queryset = restrict(AuditEntry.objects.all(), request.user, self.permission)
        filterset = AuditEntryFilterSet(request.GET or None, queryset=queryset)
        return audit_csv_response(
            filterset.qs if filterset.is_valid() else queryset.none(), actor=request.user
        )


class UserListView(ObjectListView):
    queryset = User.objects.all()
    table_class = UserTable
    title = gettext_lazy("Users")
    permission = "core.view_user"


class UserDetailView(ObjectDetailView):
    queryset = User.objects.all()
    template_name = "core/user_detail.html"
    permission = "core.view_user"

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {
            "memberships": obj.memberships.select_related("organization"),
            "tokens": ApiToken.objects.filter(user=obj),
            "can_revoke": has_permission(self.request.user, "core.revoke_apitoken"),
            "can_edit": has_permission(self.request.user, "core.change_user"),
            "has_device": TOTPDevice.objects.filter(user=obj, confirmed=True).exists(),
        }


class RolePolicyForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = dict(RolePolicy.objects.values_list("role", "require_two_factor"))
        for role in Role:
            self.fields[role.value] = forms.BooleanField(
                label=role.label, required=False, initial=current.get(role.value, False)
            )


class RolePolicyView(PermissionRequiredView):
    permission = "core.view_rolepolicy"

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        return render(
            request,
            "core/role_policies.html",
            {"form": RolePolicyForm(), "can_change": has_permission(request.user, "core.change_rolepolicy")},
        )

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        form = RolePolicyForm(request.POST)
        if form.is_valid():
            for role in Role:
                services.set_role_policy(
                    actor=request.user, role=role.value, require_two_factor=form.cleaned_data[role.value]
                )
            messages.success(request, _("Role policies saved."))
            return redirect("core:rolepolicy_list")
        return render(request, "core/role_policies.html", {"form": form, "can_change": True})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice in the person's profile."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES}:
        User.objects.filter(pk=request.user.pk).update(preferred_language=language)
    return response


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "position", "phone", "preferred_language", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class UserEditView(ObjectEditView):
    """The administrator corrects a person's details or disables the account."""

    queryset = User.objects.all()
    form_class = UserForm
    change_permission = "core.change_user"
    permission = "core.change_user"

    def get_object(self) -> Any:
        return get_object_or_404(
            restrict(User.objects.all(), self.request.user, "core.view_user"), pk=self.kwargs["pk"]
        )

    def save(self, form: Any, obj: Any) -> tuple[Any, list[str]]:
        from qalxan.organizations.services import update_user

        data = {k: form.cleaned_data[k] for k in UserForm.Meta.fields}
        return update_user(actor=self.request.user, user=obj, **data), []
