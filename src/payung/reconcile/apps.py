from django.apps import AppConfig


class ReconcileConfig(AppConfig):
    name = "payung.reconcile"
    label = "reconcile"
