"""`python -m terraform_provider_kasm.server [options]`: the same as `terraform-provider-kasm server`."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
