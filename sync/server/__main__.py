from sync.server.cli import main

raise SystemExit(main())
