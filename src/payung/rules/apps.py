from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "payung.rules"
    label = "rules"
