"""`seed_demo` imports every app's `demo` module: each subject registers its own steps with
`registry.demo.register_seed_step`, ordered so that what a step builds on exists."""

from oversight.annual_reports import demo as annual_reports_demo  # noqa: F401
from oversight.credit import demo as credit_demo  # noqa: F401
from oversight.inspections import demo as inspections_demo  # noqa: F401
from oversight.inspections import demo_follow_up, demo_records  # noqa: F401
from oversight.zombies import demo as zombies_demo  # noqa: F401
