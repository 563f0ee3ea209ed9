"""`python -m crmdesk`: the same as the `crmdesk` command."""

from crmdesk.app import main

raise SystemExit(main())
