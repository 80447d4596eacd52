-- Every delivered card updates its outbox row twice: the claim (lease) and the settle. The claim
-- changes only locked_until, which no index covers, so it can be a HOT update (no new index
-- entries) when the row's page has room; pages filled to 100% by inserts never had it. Leave half
-- of each page free. Measured draining 3000 queued cards at a time on Postgres (medians of 7 and
-- 10 rounds): 0.30 → 0.24 ms of database CPU per card, 0.52 → 0.40 ms per card. Delivered rows
-- are pruned after a week, so the table stays small.
ALTER TABLE outbox SET (fillfactor = 50);
