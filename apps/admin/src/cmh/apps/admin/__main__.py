"""`python -m cmh.apps.admin`: the operators' CLI (see ``cmh.apps.admin.cli``)."""

from cmh.apps.admin.cli import main

main()
