from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives"

    def ready(self):
        from django.db.models.signals import post_save
        from taggit.models import Tag

        from .catalogue import connect_signals
        from .vocabulary import tag_label_ensure

        connect_signals()
        # A label row is derived data of the tag, however the tag came to be (a record's
        # write, the admin, an import).
        post_save.connect(tag_label_ensure, sender=Tag, dispatch_uid="tag-label-ensure")
