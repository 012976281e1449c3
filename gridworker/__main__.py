from gridworker.app import main

raise SystemExit(main())
