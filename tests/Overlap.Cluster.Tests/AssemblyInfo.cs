// Each test runs two servers beside PostgreSQL and two ClickHouse shards: one test at a time on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
