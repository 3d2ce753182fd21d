from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from logistics.reports.models import ReportJob


class ParagraphForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000)


class GuidingIdeaForm(forms.Form):
    guiding_idea = forms.CharField(
        label=_("Guiding idea"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Quoted in the opening paragraph of every term report. Leave empty for the default wording."),
    )


class FileForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(ReportJob.Kind.DOCX, "Word (.docx)"), (ReportJob.Kind.XLSX, _("Excel annex (.xlsx)")), (ReportJob.Kind.HTML, _("Web page (.html)"))],
    )
