from gridworker_server.cli import main

raise SystemExit(main())
