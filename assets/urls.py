from django.urls import path

from assets import views, views_depreciation, views_disposal, views_import, views_stock

app_name = "assets"

urlpatterns = [
    path("", views.card_list, name="card-list"),
    path("new/", views.card_create, name="card-create"),
    path("export/", views.card_export, name="card-export"),
    path("import/", views_import.import_upload, name="import"),
    path("import/confirm/", views_import.import_confirm, name="import-confirm"),
    path("import/template/", views_import.import_template, name="import-template"),
    path("<int:pk>/", views.card_detail, name="card-detail"),
    path("<int:pk>/edit/", views.card_edit, name="card-edit"),
    path("<int:pk>/hand-over/", views.card_hand_over, name="card-hand-over"),
    path("<int:pk>/take-back/", views.card_take_back, name="card-take-back"),
    path("<int:pk>/lend/", views.card_lend, name="card-lend"),
    path("<int:pk>/get-back/", views.card_get_back, name="card-get-back"),
    path("<int:pk>/repair/", views.card_to_repair, name="card-to-repair"),
    path("<int:pk>/repaired/", views.card_from_repair, name="card-from-repair"),
    path("<int:pk>/dispose/", views.card_propose_disposal, name="card-propose-disposal"),
    path("<int:pk>/photos/", views.card_photo_add, name="card-photo-add"),
    path("<int:pk>/photos/<int:photo_pk>/remove/", views.card_photo_remove, name="card-photo-remove"),
    path("depreciation/", views_depreciation.depreciation, name="depreciation"),
    path("depreciation/run/", views_depreciation.depreciation_run, name="depreciation-run"),
    path("disposals/", views_disposal.disposal_list, name="disposal-list"),
    path("disposals/new/", views_disposal.disposal_create, name="disposal-create"),
    path("disposals/<int:pk>/", views_disposal.disposal_detail, name="disposal-detail"),
    path("disposals/<int:pk>/print/", views_disposal.disposal_print, name="disposal-print"),
    path("disposals/<int:pk>/decide/", views_disposal.disposal_decide, name="disposal-decide"),
    path("disposals/<int:pk>/execute/", views_disposal.disposal_execute, name="disposal-execute"),
    path("stock/", views_stock.stock_list, name="stock-list"),
    path("stock/receive/", views_stock.stock_receive, name="stock-receive"),
    path("stock/pending/", views_stock.stock_pending, name="stock-pending"),
    path("stock/<int:pk>/", views_stock.stock_item, name="stock-item"),
    path("stock/<int:pk>/issue/", views_stock.stock_issue, name="stock-issue"),
    path("stock/<int:pk>/count/", views_stock.stock_count, name="stock-count"),
    path("stock/<int:pk>/limits/", views_stock.stock_limits, name="stock-limits"),
    path("stock/issues/<int:pk>/return/", views_stock.stock_return, name="stock-return"),
    path("stock/issues/<int:pk>/decide/", views_stock.stock_decide, name="stock-decide"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo, {"thumb": True}, name="photo-thumb"),
]
