"""Django's admin autodiscovery imports `funding.admin`: each subject registers its own."""

from funding.catalog import admin as catalog_admin  # noqa: F401
from funding.grants import admin as grants_admin  # noqa: F401
from funding.ratings import admin as ratings_admin  # noqa: F401
from funding.services_records import admin as services_records_admin  # noqa: F401
