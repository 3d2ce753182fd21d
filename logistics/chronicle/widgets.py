"""The 工作纪事 in the navigation (for those who may read it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from logistics import widgets

widgets.register_nav(widgets.NavItem("chronicle", _("Work chronicle"), "chronicle:entry-list", "journal-text", order=65,
                                     permissions=("chronicle.view_chronicleentry",)))
