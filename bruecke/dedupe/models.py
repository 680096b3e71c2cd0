"""Duplicate detection: the trained model, blocking keys, review decisions, merges and
the privacy-preserving encodings compared across partners (docs/decisions/0061)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.models import TimestampedModel


class ModelParameters(TimestampedModel):
    """A Fellegi–Sunter model of one network, trained without labels on its own data.

    `parameters` holds the prior and the m and u probability of every comparison level
    (shape: `bruecke.dedupe.scoring.Parameters.to_json`). The newest active row is used.
    """

    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    parameters = models.JSONField(_("parameters"))
    # Match weight (log2 Bayes factor) from which the intake warns and pairs are proposed.
    threshold_weight = models.FloatField(_("warning threshold (match weight)"))
    trained_on_records = models.PositiveIntegerField(_("registrations trained on"), default=0)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("trained by"),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["network", "is_active", "-created_at"])]
        verbose_name = _("duplicate detection model")
        verbose_name_plural = _("duplicate detection models")


class TermFrequency(models.Model):
    """How common a name key is among the network's registrations (term-frequency
    adjustment: agreeing on "mohamed" is weaker evidence than agreeing on "schewtschenko")."""

    parameters = models.ForeignKey(
        ModelParameters,
        on_delete=models.CASCADE,
        related_name="term_frequencies",
        verbose_name=_("duplicate detection model"),
    )
    column = models.CharField(_("column"), max_length=20)
    value = models.CharField(_("value"), max_length=200)
    proportion = models.FloatField(_("share"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parameters", "column", "value"], name="dedupe_tf_unique")
        ]
        verbose_name = _("term frequency")
        verbose_name_plural = _("term frequencies")

    def __str__(self) -> str:
        return f"{self.column}={self.value}"


class BlockingKey(models.Model):
    """Keys under which a registration is looked up as a duplicate candidate: only
    registrations sharing a key are scored (`bruecke.dedupe.blocking`)."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    key = models.CharField(_("key"), max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "key"], name="dedupe_blocking_key_unique")
        ]
        indexes = [models.Index(fields=["key", "organisation"])]
        verbose_name = _("blocking key")
        verbose_name_plural = _("blocking keys")

    def __str__(self) -> str:
        return self.key


class PairStatus(models.TextChoices):
    OPEN = "open", _("to be reviewed")
    DISTINCT = "distinct", _("different people")
    MERGED = "merged", _("merged")


class DuplicatePair(TimestampedModel):
    """A probable duplicate within one organisation, and the review's decision.

    `first` has the smaller id. A pair marked distinct is kept, so it is never proposed
    again."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    first = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("first registration"),
    )
    second = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("second registration"),
    )
    weight = models.FloatField(_("match weight"))
    probability = models.FloatField(_("match probability"))
    # Per comparison: level id and weight (never the compared values themselves).
    evidence = models.JSONField(_("evidence"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-weight", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="dedupe_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="dedupe_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "-weight"])]
        verbose_name = _("probable duplicate")
        verbose_name_plural = _("probable duplicates")


class Merge(TimestampedModel):
    """One person's two registrations joined: every record of `merged` moved to `kept`.

    `moved` lists the moved rows ({"app.model.field": [pk, ...]}) so that the merge can
    be undone until `undo_until`."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    kept = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kept registration"),
    )
    merged = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged registration"),
    )
    pair = models.ForeignKey(
        DuplicatePair,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("probable duplicate"),
    )
    moved = models.JSONField(_("moved records"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("merged by")
    )
    undo_until = models.DateField(_("can be undone until"))
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        verbose_name = _("merge of duplicates")
        verbose_name_plural = _("merges of duplicates")


class CrossPartnerEncoding(models.Model):
    """A registration's identifiers as a keyed Bloom filter (never the names): compared
    across partners without revealing them (docs/dedupe-threat-model.md)."""

    participant = models.OneToOneField(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        primary_key=True,
        verbose_name=_("participant"),
    )
    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    bits = models.BinaryField(_("encoding"))
    # Keyed hashes of blocking values (e.g. of the birth year with a name key), for lookup.
    blocks = models.JSONField(_("block keys"), default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("encoding for matching across partners")
        verbose_name_plural = _("encodings for matching across partners")

    def __str__(self) -> str:
        return f"encoding of {self.participant_id}"


class CrossPartnerBlock(models.Model):
    encoding = models.ForeignKey(
        CrossPartnerEncoding, on_delete=models.CASCADE, related_name="block_rows", verbose_name=_("encoding")
    )
    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    key = models.CharField(_("key"), max_length=64)

    class Meta:
        indexes = [models.Index(fields=["network", "key"])]
        verbose_name = _("block key of an encoding")
        verbose_name_plural = _("block keys of encodings")

    def __str__(self) -> str:
        return self.key


class CrossMatchStatus(models.TextChoices):
    OPEN = "open", _("open")
    CONFIRMED = "confirmed", _("same person (confirmed)")
    SHARED = "shared", _("data shared with consent")
    DISMISSED = "dismissed", _("not the same person")


class CrossPartnerMatch(TimestampedModel):
    """ "This person may already be registered at partner X": two registrations of
    different organisations whose encodings agree; `first` has the smaller id."""

    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    first = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("first registration"),
    )
    second = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("second registration"),
    )
    score = models.FloatField(_("similarity"))
    status = models.CharField(
        _("status"), max_length=10, choices=CrossMatchStatus.choices, default=CrossMatchStatus.OPEN
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="dedupe_cross_match_unique"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="dedupe_cross_match_ordered"
            ),
        ]
        verbose_name = _("possible registration at another partner")
        verbose_name_plural = _("possible registrations at other partners")
