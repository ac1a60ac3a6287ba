from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Hosts the `newsdesk` management commands (serve, up, demo, createuser)."""

    name = "newsdesk.config"
    label = "newsdesk_config"
