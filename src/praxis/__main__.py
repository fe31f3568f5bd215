from praxis.cli import main

raise SystemExit(main())
