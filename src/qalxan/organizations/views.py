"""Pages of the organisations app."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.models import AuditEntry
from qalxan.core.tenancy import can, restrict
from qalxan.core.views.generic import (
    BulkImportView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredView,
)
from qalxan.organizations import services
from qalxan.organizations.filtersets import OrganizationFilterSet
from qalxan.organizations.forms import ContactForm, MembershipForm, NewUserForm, OrganizationForm
from qalxan.organizations.models import Contact, Membership, Organization
from qalxan.organizations.tables import OrganizationTable


class OrganizationListView(ObjectListView):
    queryset = Organization.objects.select_related("parent")
    filterset_class = OrganizationFilterSet
    table_class = OrganizationTable
    title = gettext_lazy("Organisations")
    add_url_name = "organizations:organization_add"
    add_permission = "organizations.add_organization"
    import_url_name = "organizations:organization_import"
    import_permission = "organizations.import_organization"


class OrganizationDetailView(ObjectDetailView):
    queryset = Organization.objects.select_related("parent").prefetch_related("sectors", "domains")
    template_name = "organizations/organization_detail.html"

    def extra_context(self, obj: Organization) -> dict[str, Any]:
        user = self.request.user
        visible_children = restrict(obj.children.all(), user)
        audit = restrict(AuditEntry.objects.filter(organization_id=obj.pk), user, "core.view_auditentry")[:15]
        return {
            "ancestors": obj.ancestors(),
            "children": visible_children,
            "contacts": obj.contacts.all(),
            "memberships": restrict(
                obj.memberships.select_related("user"), user, "organizations.view_membership"
            ),
            "audit_entries": audit,
            "can_change": can(user, "organizations.change_organization", obj),
            "can_delete": can(user, "organizations.delete_organization", obj),
            "can_contacts": can(user, "organizations.change_contact", obj),
            "can_members": can(user, "organizations.change_membership", obj),
            "membership_form": MembershipForm(),
            "user_form": NewUserForm(),
        }


class OrganizationEditView(ObjectEditView):
    queryset = Organization.objects.all()
    form_class = OrganizationForm
    change_permission = "organizations.change_organization"
    add_permission = "organizations.add_organization"

    def save(self, form: Any, obj: Organization | None) -> tuple[Organization, list[str]]:
        data = dict(form.cleaned_data)
        sectors = data.pop("sectors", None)
        domains = data.pop("domains", None)
        if obj is None:
            return services.create_organization(
                actor=self.request.user, sectors=sectors or (), domains=domains or (), **data
            )
        return services.update_organization(
            actor=self.request.user, organization=obj, sectors=sectors, domains=domains, **data
        )


class OrganizationDeleteView(ObjectDeleteView):
    queryset = Organization.objects.all()
    delete_permission = "organizations.delete_organization"
    success_url_name = "organizations:organization_list"

    def delete(self, obj: Organization) -> None:
        services.delete_organization(actor=self.request.user, organization=obj)


class OrganizationImportView(BulkImportView):
    importer_key = "organizations"
    done_url_name = "organizations:organization_list"


class UserImportView(BulkImportView):
    importer_key = "users"
    done_url_name = "core:user_list"


def _organization_for(request: HttpRequest, pk: int, permission: str) -> Organization:
    org = get_object_or_404(restrict(Organization.objects.all(), request.user), pk=pk)
    if not can(request.user, permission, org):
        raise PermissionDenied(_("You may not change this organisation."))
    return org


class ContactEditView(PermissionRequiredView):
    permission = "organizations.change_contact"

    def _objects(
        self, request: HttpRequest, org_pk: int, pk: int | None
    ) -> tuple[Organization, Contact | None]:
        org = _organization_for(request, org_pk, self.permission or "")
        contact = get_object_or_404(org.contacts, pk=pk) if pk else None
        return org, contact

    def get(self, request: HttpRequest, org_pk: int, pk: int | None = None) -> HttpResponse:
        org, contact = self._objects(request, org_pk, pk)
        return render(
            request,
            "core/object_edit.html",
            {
                "form": ContactForm(instance=contact),
                "object": contact,
                "title": contact or _("New contact"),
                "cancel_url": org.get_absolute_url(),
            },
        )

    def post(self, request: HttpRequest, org_pk: int, pk: int | None = None) -> HttpResponse:
        org, contact = self._objects(request, org_pk, pk)
        if "delete" in request.POST and contact is not None:
            services.delete_contact(actor=request.user, contact=contact)
            messages.success(request, _("Deleted %(obj)s.") % {"obj": contact})
            return redirect(org.get_absolute_url())
        form = ContactForm(request.POST, instance=contact)
        if form.is_valid():
            fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
            services.save_contact(actor=request.user, organization=org, contact=contact, **fields)
            messages.success(request, _("Saved."))
            return redirect(org.get_absolute_url())
        return render(
            request,
            "core/object_edit.html",
            {
                "form": form,
                "object": contact,
                "title": contact or _("New contact"),
                "cancel_url": org.get_absolute_url(),
            },
        )


class MembershipAddView(PermissionRequiredView):
    """Give an existing user a role here, or create a new user with a role here."""

    permission = "organizations.change_membership"

    def post(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        org = _organization_for(request, org_pk, self.permission or "")
        new_user = "password" in request.POST
        form: Any = NewUserForm(request.POST) if new_user else MembershipForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if new_user:
                    services.create_user(
                        actor=request.user,
                        username=data["username"],
                        password=data["password"],
                        email=data["email"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        position=data["position"],
                        memberships=[(org, data["role"], data["include_subordinates"])],
                    )
                else:
                    services.grant_membership(
                        actor=request.user,
                        user=data["user"],
                        organization=org,
                        role=data["role"],
                        include_subordinates=data["include_subordinates"],
                    )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Role granted."))
        else:
            for field, errors in form.errors.items():
                messages.error(
                    request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(errors)}"
                )
        return redirect(org.get_absolute_url())


class MembershipRevokeView(PermissionRequiredView):
    permission = "organizations.change_membership"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = get_object_or_404(
            restrict(
                Membership.objects.select_related("user", "organization"), request.user, self.permission
            ),
            pk=pk,
        )
        services.revoke_membership(actor=request.user, membership=membership)
        messages.success(request, _("Role revoked."))
        return redirect(membership.organization.get_absolute_url())
