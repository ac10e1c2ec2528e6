from generator.workers import background

# The model workers start before the rest of the generator loads (generator.workers).
with background():
    from generator.cli import main

    raise SystemExit(main())
