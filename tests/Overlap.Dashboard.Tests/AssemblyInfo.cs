// Each test class starts its own server and browser. Two at once on the two-core CI machine made cold pages (the
// overview's 30 days, a recalibration's refit) take past the browser waits' 120 s, so the classes run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
