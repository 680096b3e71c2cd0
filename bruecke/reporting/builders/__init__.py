"""Report builders (see `bruecke.reporting.registry`): every module in this package is
imported at start-up, so a report registers itself by living here."""
