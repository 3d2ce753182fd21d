from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.requisition_list, name="requisition-list"),
    path("new/", views.requisition_create, name="requisition-create"),
    path("approvals/", views.approvals, name="approvals"),
    path("export/", views.requisition_export, name="requisition-export"),
    path("<int:pk>/", views.requisition_detail, name="requisition-detail"),
    path("<int:pk>/edit/", views.requisition_edit, name="requisition-edit"),
    path("<int:pk>/submit/", views.requisition_submit, name="requisition-submit"),
    path("<int:pk>/withdraw/", views.requisition_withdraw, name="requisition-withdraw"),
    path("<int:pk>/approve/", views.requisition_approve, name="requisition-approve"),
    path("<int:pk>/reject/", views.requisition_reject, name="requisition-reject"),
    path("<int:pk>/order/", views.requisition_order, name="requisition-order"),
    path("<int:pk>/steps/<int:step_pk>/minutes/", views.step_minutes, name="step-minutes"),
    path("<int:pk>/print/", views.requisition_print, name="requisition-print"),
    path("<int:pk>/acceptance/", views.acceptance_create, name="acceptance-create"),
    path("<int:pk>/acceptance/<int:acceptance_pk>/confirm/", views.acceptance_confirm, name="acceptance-confirm"),
    path("<int:pk>/acceptance/<int:acceptance_pk>/pay/", views.acceptance_pay, name="acceptance-pay"),
    path("<int:pk>/acceptance/<int:acceptance_pk>/print/", views.acceptance_print, name="acceptance-print"),
]
