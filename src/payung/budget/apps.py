from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "payung.budget"
    label = "budget"
