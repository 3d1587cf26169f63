"""The screens of a warme overdracht: the sending procesregisseur's proposal on a case,
and the region's proposals (to it and from it) with the receiving procesregisseur's
decision. national.transfers does the work and asks the policy."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import allowed
from accounts.policy import Action
from national import transfers
from national.models import Transfer, TransferBasis, TransferPart
from tenants.models import Region
from workflow.selectors import find_case

TEXT_LENGTH = transfers.REASON_LENGTH


class ProposalForm(forms.Form):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Naar het meldpunt van"),
        queryset=Region.objects.none(),
        empty_label=gettext_lazy("Kies een regio"),
        help_text=gettext_lazy("Alleen meldpunten op het platform die niet zijn opgeschort."),
    )
    parts = forms.MultipleChoiceField(
        label=gettext_lazy("Wat gaat mee"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "De gesprekken met de melder en diens gegevens blijven bij dit meldpunt, net als "
            "het journaal en de toestemmingen. Documenten gaan alleen mee als ze gecontroleerd zijn."
        ),
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Grondslag"),
        choices=TransferBasis.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Met toestemming: de toestemming voor overdracht van iedere (mogelijke) "
            "betrokkene is vastgelegd, gegeven door wie dat volgens de leeftijdsregels mag."
        ),
    )
    basis_text = forms.CharField(
        label=gettext_lazy("Toelichting op de grondslag"),
        required=False,
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Verplicht als u zonder toestemming overdraagt."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Waarom draagt u de casus over?"),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Het andere meldpunt leest dit voordat het besluit. Noem geen namen: die gaan "
            "pas mee als het voorstel is aanvaard."
        ),
    )

    def __init__(self, *args, counts: dict[str, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Region.objects.filter(
            pk__in=[region.pk for region in transfers.destinations()]
        )
        labels = dict(TransferPart.choices)
        self.fields["parts"].choices = [
            (part, f"{labels[part]} ({counts[part]})") for part in TransferPart.values
        ]


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van afwijzing"),
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Het verzendende meldpunt leest deze reden."),
    )


@allowed(Action.VIEW_CASE, unseen=True)
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, reference: str) -> HttpResponse:
    casus = find_case(request.user, reference, Action.PROPOSE_TRANSFER)
    form = ProposalForm(request.POST or None, counts=transfers.part_counts(casus))
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.propose(casus, actor=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Het voorstel tot overdracht aan %(region)s is verstuurd.")
                % {"region": transfer.target.name},
            )
            return redirect("cases:detail", reference=reference)
    context = {
        "casus": casus,
        "form": form,
        "cancel_url": reverse("cases:detail", args=[reference]),
    }
    status = 400 if form.errors else 200
    return render(request, "cases/transfers/propose.html", context, status=status)


@allowed(Action.DECIDE_TRANSFER)
def transfer_list(request: HttpRequest) -> HttpResponse:
    here = request.tenant
    listed = transfers.transfers_here(request.user)
    context = {
        "incoming": [transfer for transfer in listed if transfer.target_id == here.pk],
        "outgoing": [transfer for transfer in listed if transfer.source_id == here.pk],
    }
    return render(request, "cases/transfers/list.html", context)


def found(request: HttpRequest, pk: int) -> Transfer:
    try:
        return transfers.find_transfer(request.user, pk)
    except Transfer.DoesNotExist as missing:
        raise Http404 from missing


@allowed(Action.DECIDE_TRANSFER)
@require_http_methods(["GET", "POST"])
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal; the receiving region declines it here (with a reason)."""
    transfer = found(request, pk)
    form = DecisionForm(request.POST or None)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            transfers.decline(pk, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as refused:
            refusal = refused.messages
        else:
            messages.success(request, _("U heeft het voorstel tot overdracht afgewezen."))
            return redirect("cases:transfers")
    context = {
        "transfer": transfer,
        "incoming": transfer.target_id == request.tenant.pk,
        "form": form,
        "refusal": refusal,
        "labels": dict(TransferPart.choices),
    }
    status = 400 if form.errors or refusal else 200
    return render(request, "cases/transfers/detail.html", context, status=status)


@allowed(Action.DECIDE_TRANSFER)
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    found(request, pk)
    try:
        casus = transfers.accept(pk, actor=request.user)
    except Transfer.DoesNotExist as missing:
        raise Http404 from missing
    except ValidationError as refused:
        for message in refused.messages:
            messages.error(request, message)
        return redirect("cases:transfer", pk=pk)
    messages.success(
        request,
        _("De casus is overgedragen en staat hier als casus %(reference)s.")
        % {"reference": casus.reference},
    )
    return redirect("cases:detail", reference=casus.reference)
