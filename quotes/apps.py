from django.apps import AppConfig


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = "Quotes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers how each background job is sent (quotes.jobs), in every process
        # that may store an article: web, worker, commands.
        from quotes import tasks  # noqa: F401
