-- Statement-level triggers fire for every INSERT/UPDATE statement on customers, even one that
-- wrote no row (intake's usual case: the customer exists and nothing about them changed). The
-- sync then planned and ran an UPDATE of feedback_items for nothing, about 0.5 ms per intake
-- request (bench/RESULTS.md, Intake). Return at once when no customer changed.
CREATE OR REPLACE FUNCTION customers_sync_segment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM changed_customers) THEN
    RETURN NULL;
  END IF;
  UPDATE feedback_items f SET segment = c.segment
  FROM changed_customers c
  WHERE f.customer_id = c.id AND f.segment IS DISTINCT FROM c.segment;
  RETURN NULL;
END $$;
