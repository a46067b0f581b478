from django.urls import path

from payung.web import bills, duplicates, imports, rules, views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("orang/", views.people_list, name="people"),
    path("orang/baru/", views.person_create, name="person_create"),
    path("orang/<int:pk>/", views.person_detail, name="person"),
    path("orang/<int:pk>/ubah/", views.person_edit, name="person_edit"),
    path("orang/<int:pk>/penugasan/", views.engagement_add, name="engagement_add"),
    path("orang/<int:pk>/status/", views.status_change, name="status_change"),
    path("impor/", imports.upload, name="import_upload"),
    path("impor/riwayat/", imports.history, name="import_history"),
    path("impor/<int:pk>/", imports.batch_detail, name="import"),
    path("impor/<int:pk>/simpan/", imports.batch_commit, name="import_commit"),
    path("impor/<int:pk>/berkas-galat/", imports.error_file, name="import_errors"),
    path("duplikat/", duplicates.queue, name="duplicates"),
    path("duplikat/cari/", duplicates.search, name="duplicates_search"),
    path("duplikat/<int:pk>/", duplicates.detail, name="duplicate"),
    path("duplikat/<int:pk>/gabung/", duplicates.merge, name="duplicate_merge"),
    path("duplikat/<int:pk>/tolak/", duplicates.dismiss, name="duplicate_dismiss"),
    path("aturan/", rules.rules_list, name="rules"),
    path("aturan/tambah/", rules.rule_add, name="rule_add"),
    path("kalkulator/", rules.calculator, name="calculator"),
    path("tagihan/", bills.bills_list, name="bills"),
    path("tagihan/<int:pk>/unduh.xlsx", bills.bill_xlsx, name="bill_xlsx"),
    path("tagihan/<int:pk>/surat.pdf", bills.bill_pdf, name="bill_pdf"),
]
