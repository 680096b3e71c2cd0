"""Catalogues the placement work reads: occupations (KldB 2010) and places (coordinates).

Both are reference data, not personal data. The occupation catalogue holds every level of
the classification (1- to 5-digit codes) as the Bundesagentur publishes it; the demo ships a
small extract and `load_kldb` loads the official file. Places give the coordinates of a
town or postcode for the straight-line distance in matching.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.placement.kldb import fold, requirement_level


class Occupation(models.Model):
    code = models.CharField(
        _("KldB 2010 code"),
        max_length=5,
        primary_key=True,
        validators=[RegexValidator(r"^\d{1,5}\Z", _("A KldB 2010 code has one to five digits."))],
    )
    title = models.CharField(_("title"), max_length=300)
    # Folded title (lower case, no diacritics) for the search as one types.
    search_title = models.CharField(_("title for searching"), max_length=300, editable=False, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation (KldB 2010)")
        verbose_name_plural = _("occupations (KldB 2010)")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_title = fold(self.title)
        fields = kwargs.get("update_fields")
        if fields is not None and "title" in fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*fields, "search_title"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def level(self) -> int | None:
        return requirement_level(self.code)


class Place(models.Model):
    """A town (centre) or postcode area with coordinates, for distances."""

    name = models.CharField(_("town"), max_length=100)
    search_name = models.CharField(_("town for searching"), max_length=100, editable=False, db_index=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True, db_index=True)
    district = models.CharField(_("district (Landkreis)"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        ordering = ["name", "postcode"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return f"{self.postcode} {self.name}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
