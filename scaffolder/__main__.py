from scaffolder.cli import main

raise SystemExit(main())
