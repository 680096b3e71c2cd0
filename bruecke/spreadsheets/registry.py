"""The entity types that can be imported, by key."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bruecke.spreadsheets.base import Entity

_ENTITIES: dict[str, Entity] = {}


def register(entity: Entity) -> Entity:
    if entity.key in _ENTITIES:
        raise ValueError(f"entity {entity.key!r} is registered twice")
    _ENTITIES[entity.key] = entity
    return entity


def get(key: str) -> Entity | None:
    return _ENTITIES.get(key)


def all_entities() -> list[Entity]:
    """In the order users bring their data: people first, then what refers to them."""
    return sorted(_ENTITIES.values(), key=lambda e: (e.order, e.key))
