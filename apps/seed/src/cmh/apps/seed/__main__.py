"""`python -m cmh.apps.seed`: the demo seed job (see ``cmh.apps.seed.main``)."""

from cmh.apps.seed.main import main

main()
