"""Screens of the asset ledger. Thin: a scoped fetch, a form, a service, a message, a redirect."""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from logistics.lists import keyset_page, safe_next
from logistics.permissions import can, permission_required
from logistics.scoping import require_school

from assets import services
from assets.export import export_response
from assets.filters import CardFilter
from assets.forms import CardForm, HolderForm, LendForm, NoteForm, ReasonForm, TakeBackForm
from assets.models import AssetCard, AssetPhoto
from assets.rules import card_actions_for
from assets.selectors import LIST_ORDER, LIST_RELATED, get_card_for, history_of, ledger_filter_options, movements_of, visible_cards
from assets.services import WorkflowError


# --- The ledger -----------------------------------------------------------------------------------

@permission_required("assets.view_assetcard")
def card_list(request: HttpRequest) -> HttpResponse:
    card_filter = CardFilter(request.GET, queryset=visible_cards(request), school=request.school)
    page = keyset_page(card_filter.qs, request.GET, ordering=LIST_ORDER, related=LIST_RELATED)
    return render(request, "assets/card_list.html", {
        "page": page, "form": card_filter.form, "filtered": bool(card_filter.form.filters()),
        "options": ledger_filter_options(card_filter.form, request.school),
        "sees_all": can(request.user, request.school, "assets.view_all_cards"), "today": timezone.localdate(),
    })


@permission_required("assets.export_card")
def card_export(request: HttpRequest) -> HttpResponse:
    return export_response(request)  # the list's filter and visibility, small at once or as a job


# --- One card -------------------------------------------------------------------------------------

def _render_detail(request: HttpRequest, card: AssetCard, status: int = 200, **forms: Any) -> HttpResponse:
    actions = card_actions_for(card, request.user)
    school = request.school
    context = {
        "card": card,
        "can": actions,
        "movements": movements_of(card),
        "photos": list(card.photos.all()),
        "history": history_of(card),
        "today": timezone.localdate(),
        # The room is offered as it stands: a transfer to another person keeps it unless it is changed.
        "holder_form": forms.get("holder_form") or (
            HolderForm(school=school, batch=card.quantity, initial={"room": card.room_id}) if actions["issue"] or actions["transfer"] else None),
        "take_back_form": forms.get("take_back_form") or (TakeBackForm(school=school) if actions["take_back"] else None),
        "lend_form": forms.get("lend_form") or (LendForm() if actions["lend"] else None),
        "note_form": NoteForm(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
    }
    return render(request, "assets/card_detail.html", context, status=status)


@permission_required("assets.view_assetcard")
def card_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_card_for(request, pk))


@permission_required("assets.add_assetcard")
def card_create(request: HttpRequest) -> HttpResponse:
    require_school(request)
    form = CardForm(request.POST or None, school=request.school)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_register(school=request.school, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("%(number)s %(name)s is on the ledger.") % {"number": card.number, "name": card.name})
            if request.POST.get("another"):
                return redirect("assets:card-create")
            return redirect(card)
    return render(request, "assets/card_form.html", {"form": form, "card": None}, status=400 if form.errors else 200)


@permission_required("assets.change_assetcard")
def card_edit(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_card_for(request, pk)
    form = CardForm(request.POST or None, school=request.school, instance=card)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.card_update(card=card, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("Card %(number)s saved.") % {"number": card.number})
            return redirect(card)
    return render(request, "assets/card_form.html", {"form": form, "card": card}, status=400 if form.errors else 200)


# --- Custody steps --------------------------------------------------------------------------------

def _back(request: HttpRequest, card: AssetCard) -> HttpResponse:
    return redirect(safe_next(request, request.POST.get("next")) or card)


def _action(form_class: Any | None, run: Callable[[HttpRequest, AssetCard, dict[str, Any]], str], *, form_name: str = "",
            perm: str = "assets.move_card") -> Callable[..., HttpResponse]:
    """A POST-only step on one card: visible-or-404, role-or-403, form, service, message, back."""

    @require_POST
    @permission_required(perm)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        card = get_card_for(request, pk)
        data: dict[str, Any] = {}
        if form_class is not None:
            kwargs: dict[str, Any] = {"school": request.school} if form_class in (HolderForm, TakeBackForm) else {}
            if form_class is HolderForm:
                kwargs["batch"] = card.quantity
            form = form_class(request.POST, **kwargs)
            if not form.is_valid():
                messages.error(request, _("Please correct the errors below."))
                return _render_detail(request, card, status=400, **{form_name: form})
            data = form.cleaned_data
        try:
            messages.success(request, run(request, card, data))
        except WorkflowError as e:
            messages.error(request, str(e))
        return _back(request, card)

    return view


def _hand_over(request: HttpRequest, card: AssetCard, data: dict[str, Any]) -> str:
    service = services.card_issue if card.status == AssetCard.Status.IDLE else services.card_transfer
    card = service(card=card, by=request.user, custodian=data["custodian"], custodian_class=data["custodian_class"], room=data["room"],
                   department=data["department"], note=data["note"], quantity=data.get("quantity"))
    where = " · ".join(x for x in (card.holder_label, str(card.room) if card.room else "") if x)
    return _("%(number)s is now with %(where)s.") % {"number": card.number, "where": where}


def _take_back(request: HttpRequest, card: AssetCard, data: dict[str, Any]) -> str:
    services.card_take_back(card=card, by=request.user, room=data["room"], note=data["note"])
    return _("%(number)s is back with the office.") % {"number": card.number}


def _lend(request: HttpRequest, card: AssetCard, data: dict[str, Any]) -> str:
    services.card_lend(card=card, by=request.user, to=data["to"], due=data["due"], note=data["note"])
    return _("%(number)s lent to %(who)s until %(due)s.") % {"number": card.number, "who": data["to"], "due": data["due"].isoformat()}


def _get_back(request: HttpRequest, card: AssetCard, data: dict[str, Any]) -> str:
    services.card_get_back(card=card, by=request.user, note=data.get("note", ""))
    return _("%(number)s is back from loan.") % {"number": card.number}


def _to_repair(request: HttpRequest, card: AssetCard, data: dict[str, Any]) -> str:
    services.card_send_to_repair(card=card, by=request.user, note=data.get("note", ""))
    return _("%(number)s is marked under repair.") % {"number": card.number}


def _from_repair(request: HttpRequest, card: AssetCard, data: dict[str, Any]) -> str:
    services.card_back_from_repair(card=card, by=request.user, note=data.get("note", ""))
    return _("%(number)s is back from repair.") % {"number": card.number}


def _propose_disposal(request: HttpRequest, card: AssetCard, data: dict[str, Any]) -> str:
    services.card_propose_disposal(card=card, by=request.user, reason=data["reason"])
    return _("%(number)s is marked for disposal.") % {"number": card.number}


card_hand_over = _action(HolderForm, _hand_over, form_name="holder_form")
card_take_back = _action(TakeBackForm, _take_back, form_name="take_back_form")
card_lend = _action(LendForm, _lend, form_name="lend_form")
card_get_back = _action(NoteForm, _get_back)
card_to_repair = _action(NoteForm, _to_repair)
card_from_repair = _action(NoteForm, _from_repair)
card_propose_disposal = _action(ReasonForm, _propose_disposal, form_name="reason_form")


# --- Photos -----------------------------------------------------------------------------------------

@require_POST
@permission_required("assets.change_assetcard")
def card_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    card = get_card_for(request, pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("Choose a photo."))
        return redirect(card)
    try:
        services.card_add_photo(card=card, by=request.user, upload=upload)
        messages.success(request, _("Photo added."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect(card)


@require_POST
@permission_required("assets.change_assetcard")
def card_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    card = get_card_for(request, pk)
    photo = AssetPhoto.objects.filter(card=card, pk=photo_pk).select_related("card").first()
    if photo is None:
        raise Http404
    try:
        services.card_remove_photo(photo=photo, by=request.user)
        messages.success(request, _("Photo removed."))
    except WorkflowError as e:
        messages.error(request, str(e))
    return redirect(card)


@permission_required("assets.view_assetcard")
def photo(request: HttpRequest, pk: int, thumb: bool = False) -> HttpResponse:
    """Photos are served only to people who may see the card (never from a public media URL)."""
    found = AssetPhoto.objects.filter(pk=pk, card__in=visible_cards(request).values("pk")).first()
    if found is None:
        raise Http404
    file = found.thumbnail if thumb else found.image
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
