"""Across partners without sharing names: keyed Bloom-filter encodings of registrations,
compared only with other organisations' encodings of the same network
(docs/decisions/0063-cross-partner-encodings.md, docs/dedupe-threat-model.md)."""
