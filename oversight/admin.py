"""Django's admin autodiscovery imports `oversight.admin`: each subject registers its own."""

from oversight.annual_reports import admin as annual_reports_admin  # noqa: F401
from oversight.credit import admin as credit_admin  # noqa: F401
from oversight.credit import admin_applications  # noqa: F401
from oversight.inspections import admin as inspections_admin  # noqa: F401
from oversight.inspections import admin_draws  # noqa: F401
from oversight.zombies import admin as zombies_admin  # noqa: F401
