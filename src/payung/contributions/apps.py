from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "payung.contributions"
    label = "contributions"
