# The English UI keeps the German date formats: records and documents are German.
from bruecke.formats.de.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
