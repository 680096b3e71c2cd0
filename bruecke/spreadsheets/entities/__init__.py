"""The importable entity types; each module registers its own with `registry.register`."""
