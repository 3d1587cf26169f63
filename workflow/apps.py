from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Casussen"

    def ready(self) -> None:
        from workflow.activity import keep_last_activity
        from workflow.oversight import watch_cases
        from workflow.waiting import keep_what_cases_wait_on

        keep_last_activity()
        watch_cases()
        keep_what_cases_wait_on()
