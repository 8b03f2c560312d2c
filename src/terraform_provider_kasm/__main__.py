"""``python -m terraform_provider_kasm``: the same as the ``terraform-provider-kasm`` command."""

import sys

from .cli import main

sys.exit(main())
