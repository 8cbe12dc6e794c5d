from django.db import models


class CatalogueChange(models.Model):
    """One row per change to what anonymous readers can see; the highest id is the generation.

    Public API answers are kept in a cache under keys carrying the generation
    (api/answers.py), so a new row retires every answer kept before it; initiatives/catalogue.py
    writes the rows.
    """

    id = models.BigAutoField(primary_key=True)

    class Meta:
        verbose_name = "catalogue change"

    def __str__(self) -> str:
        return f"catalogue change {self.pk}"
