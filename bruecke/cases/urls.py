from django.urls import path

from bruecke.cases.views import barriers, cases, contacts, page, tasks

app_name = "cases"
urlpatterns = [
    path("new/<int:participant_pk>/", cases.case_open, name="open"),
    path("<int:pk>/", page.case_detail, name="detail"),
    path("<int:pk>/timeline/", page.case_timeline, name="timeline"),
    path("<int:pk>/contacts/new/", contacts.contact_create, name="contact_create"),
    path("<int:pk>/assessments/new/", barriers.assessment_create, name="assessment_create"),
    path("<int:pk>/tasks/new/", tasks.case_task_create, name="case_task_create"),
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/done/", tasks.task_done, name="task_done"),
    path("tasks/<int:pk>/reopen/", tasks.task_reopen, name="task_reopen"),
]
