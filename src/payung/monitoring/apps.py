from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "payung.monitoring"
    label = "monitoring"
