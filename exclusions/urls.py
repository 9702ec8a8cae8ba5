from django.urls import path

from exclusions import views

app_name = "exclusions"

urlpatterns = [
    path("", views.register, name="register"),
    path("notices/", views.notices, name="notices"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/confirm/<str:prefix>/", views.settings_confirm, name="settings_confirm"),
    path("whole-school/", views.whole_school, name="whole_school"),
    path("pupil/<int:pupil_id>/", views.pupil, name="pupil"),
    path("pupil/<int:pupil_id>/risk/", views.risk_open, name="risk_open"),
    path("pupil/<int:pupil_id>/decide/", views.decide, name="decide"),
    path("pupil/<int:pupil_id>/reduced-timetable/", views.timetable_add, name="timetable_add"),
    path("risk/<int:pk>/consultation/", views.risk_consultation, name="risk_consultation"),
    path("risk/<int:pk>/tell-virtual-school/", views.risk_tell_virtual_school, name="risk_tell"),
    path("risk/<int:pk>/close/", views.risk_close, name="risk_close"),
    path("risk/<int:pk>/alternative/", views.alternative_add, name="alternative_add"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/provision/", views.provision, name="provision"),
    path("<int:pk>/reintegration/", views.reintegration, name="reintegration"),
    path("<int:pk>/board/", views.board, name="board"),
    path("notice/<int:pk>/sent/", views.notice_delivered, name="notice_delivered"),
    path("notice/<int:pk>/letter/", views.notice_letter, name="notice_letter"),
    path("reduced-timetable/<int:pk>/review/", views.timetable_review, name="timetable_review"),
]
