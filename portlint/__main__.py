from portlint.cli import main

raise SystemExit(main())
