from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "payung.coverage"
    label = "coverage"

    def ready(self) -> None:
        from payung.coverage import prompts  # noqa: F401  (connects the enrolment after an import)
