"""Pages of the intel app: indicators, bulk paste, campaigns, sightings, warning lists, exchange."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.tenancy import can, has_permission, restrict
from qalxan.core.views.generic import ObjectDetailView, ObjectListView, PermissionRequiredView
from qalxan.intel import conf, services, workflows
from qalxan.intel.api.views import import_exchange
from qalxan.intel.filtersets import CampaignFilterSet, IndicatorFilterSet, SightingFilterSet
from qalxan.intel.forms import CampaignStepForm, ExchangeImportForm, PasteForm, WarningListUploadForm
from qalxan.intel.models import Campaign, Indicator, Sighting, WarningList
from qalxan.intel.queries import (
    campaign_summary,
    other_institutions,
    reporters,
    sees_reporters,
    visible_incidents_of,
)
from qalxan.intel.tables import CampaignTable, IndicatorTable, SightingTable, WarningListTable
from qalxan.intel.warninglists import Checker, WarningListError, parse


class IndicatorListView(ObjectListView):
    queryset = Indicator.objects.select_related("warning_list")
    filterset_class = IndicatorFilterSet
    table_class = IndicatorTable
    title = gettext_lazy("Indicators")
    add_url_name = "intel:indicator_paste"
    add_permission = "intel.add_indicator"

    def visible_queryset(self, permission: str | None = None) -> QuerySet[Any]:
        return Indicator.objects.visible_to(self.request.user).select_related("warning_list")


class IndicatorDetailView(ObjectDetailView):
    queryset = Indicator.objects.select_related("warning_list")
    template_name = "intel/indicator_detail.html"

    def visible_queryset(self, permission: str | None = None) -> QuerySet[Any]:
        return Indicator.objects.visible_to(self.request.user).select_related("warning_list")

    def extra_context(self, obj: Indicator) -> dict[str, Any]:
        user = self.request.user
        return {
            "others": other_institutions(user, [obj.pk]).get(obj.pk, 0),
            "named": sees_reporters(user),
            "reporters": reporters(user, obj),
            "incidents": visible_incidents_of(user, obj).select_related("organization")[:100],
            "sightings": restrict(obj.sightings.select_related("organization"), user, "intel.view_sighting")[
                :100
            ],
            "campaigns": restrict(obj.campaigns.all(), user, "intel.view_campaign"),
        }


class IndicatorPasteView(PermissionRequiredView):
    """Paste text; htmx previews what would be stored (and what is known benign) before saving."""

    permission = "intel.add_indicator"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "intel/paste.html", {"form": PasteForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PasteForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, "intel/paste.html", {"form": form}, status=400)
        data = form.cleaned_data
        preview = request.POST.get("action") == "preview"
        try:
            outcome = services.import_text(
                actor=request.user,
                text=data["text"],
                tlp=data["tlp"],
                confidence=data["confidence"],
                source=data["source"],
                organization=data.get("organization"),
                commit=not preview,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, "intel/paste.html", {"form": form}, status=400)
        benign = Checker().check(outcome.values) if outcome.values else {}
        names = dict(WarningList.objects.filter(pk__in=set(benign.values())).values_list("pk", "name"))
        rows = [{"value": v, "benign": names.get(benign.get(v.key, 0), "")} for v in outcome.values]
        context = {"form": form, "rows": rows, "errors": outcome.errors, "preview": preview}
        if preview or outcome.errors:
            template = (
                "intel/partials/paste_preview.html" if getattr(request, "htmx", False) else "intel/paste.html"
            )
            return render(request, template, context, status=400 if outcome.errors else 200)
        result = outcome.result
        assert result is not None  # committed: no errors
        messages.success(
            request,
            _("%(found)d indicators: %(new)d new, %(benign)d known benign.")
            % {"found": len(result.indicators), "new": len(result.created), "benign": len(result.suppressed)},
        )
        return redirect("intel:indicator_list")


class CampaignListView(ObjectListView):
    queryset = Campaign.objects.all()
    filterset_class = CampaignFilterSet
    table_class = CampaignTable
    title = gettext_lazy("Campaigns")


class CampaignDetailView(ObjectDetailView):
    queryset = Campaign.objects.all()
    template_name = "intel/campaign_detail.html"

    def extra_context(self, obj: Campaign) -> dict[str, Any]:
        user = self.request.user
        steps = [
            {
                "transition": t,
                "form": CampaignStepForm(
                    initial={
                        "step": t.name,
                        "name": obj.name,
                        "threat_actor": obj.threat_actor,
                        "intrusion_set": obj.intrusion_set,
                    }
                ),
            }
            for t in workflows.campaign.available(obj, user)
        ]
        return {
            "summary": campaign_summary(user, obj),
            "steps": steps,
            "indicators": Indicator.objects.visible_to(user).filter(campaigns=obj)[:200],
        }


class CampaignStepView(PermissionRequiredView):
    permission = "intel.confirm_campaign"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = get_object_or_404(restrict(Campaign.objects.all(), request.user), pk=pk)
        form = CampaignStepForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                k: data[k] for k in ("name", "threat_actor", "intrusion_set") if data.get(k) or k != "name"
            }
            try:
                services.move_campaign(
                    actor=request.user,
                    campaign=campaign,
                    step=data["step"],
                    message=data["message"],
                    **fields,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Campaign updated."))
        return redirect(campaign.get_absolute_url())


class SightingListView(ObjectListView):
    queryset = Sighting.objects.select_related("indicator", "organization")
    filterset_class = SightingFilterSet
    table_class = SightingTable
    title = gettext_lazy("Sightings")


class WarningListListView(ObjectListView):
    queryset = WarningList.objects.annotate(
        entry_count=Count("entries", distinct=True), indicator_count=Count("indicators", distinct=True)
    )
    table_class = WarningListTable
    title = gettext_lazy("Warning lists")
    template_name = "intel/warninglist_list.html"

    def visible_queryset(self, permission: str | None = None) -> QuerySet[Any]:
        return self.queryset.all()  # reference data: everyone who may see indicators reads the lists

    def extra_context(self) -> dict[str, Any]:
        return {
            "upload_form": WarningListUploadForm()
            if has_permission(self.request.user, "intel.change_warninglist")
            else None
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        if not has_permission(request.user, "intel.change_warninglist"):
            raise PermissionDenied
        form = WarningListUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                raw = json.loads(form.cleaned_data["file"].read(conf.max_text_bytes()))
                parsed = parse(raw, slug=form.cleaned_data.get("slug") or "")
                wl, changed = services.load_warning_list(actor=request.user, parsed=parsed)
            except (ValueError, WarningListError) as exc:
                messages.error(request, _("The list was not loaded: %(reason)s") % {"reason": exc})
            else:
                messages.success(
                    request,
                    _("%(name)s loaded; %(n)d indicators re-flagged.") % {"name": wl.name, "n": changed},
                )
        else:
            messages.error(request, _("Choose a JSON file."))
        return redirect("intel:warninglist_list")


class WarningListDetailView(ObjectDetailView):
    queryset = WarningList.objects.all()
    template_name = "intel/warninglist_detail.html"

    def visible_queryset(self, permission: str | None = None) -> QuerySet[Any]:
        return self.queryset.all()

    def extra_context(self, obj: WarningList) -> dict[str, Any]:
        return {
            "entries": obj.entries.all()[:500],
            "can_change": has_permission(self.request.user, "intel.change_warninglist"),
            "flagged": Indicator.objects.visible_to(self.request.user).filter(warning_list=obj)[:100],
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = get_object_or_404(WarningList, pk=pk)
        services.set_warning_list_enabled(
            actor=request.user, warning_list=obj, enabled=request.POST.get("enabled") == "1"
        )
        messages.success(request, _("Warning list updated."))
        return redirect(obj.get_absolute_url())


class ExchangeView(PermissionRequiredView):
    """Import STIX bundles and MISP events; download the exports."""

    permission = "intel.import_indicator"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "intel/exchange.html",
            {"form": ExchangeImportForm(), "can_export": can(request.user, "intel.export_indicator")},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ExchangeImportForm(request.POST, request.FILES)
        outcome = None
        if form.is_valid():
            content = form.cleaned_data["file"].read(conf.max_text_bytes() + 1)
            if len(content) > conf.max_text_bytes():
                form.add_error("file", _("The file is too large."))
            else:
                outcome = import_exchange(
                    actor=request.user,
                    fmt=form.cleaned_data["format"],
                    content=content,
                    tlp=form.cleaned_data["tlp"],
                    organization=None,
                )
                if outcome["committed"]:
                    messages.success(
                        request,
                        _("%(n)d indicators read, %(new)d new.")
                        % {"n": outcome["indicators"], "new": outcome["created"]},
                    )
        status = 400 if (outcome and not outcome["committed"]) or form.errors else 200
        return render(
            request,
            "intel/exchange.html",
            {"form": form, "outcome": outcome, "can_export": can(request.user, "intel.export_indicator")},
            status=status,
        )
